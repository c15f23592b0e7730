import { html, type SafeHtml } from '../http/html.ts';
import { maskPersonalId } from '../auth/personal-id.ts';
import { type DemoIdentity, demoIdentities } from './identities.ts';

/**
 * The development provider's pages, in Vietnamese: choose who to be, then agree to share.
 * Server-rendered forms without scripts, one stylesheet, usable on a 360 px phone.
 */

export const stylesheet = `*{box-sizing:border-box}body{margin:0;font:1.0625rem/1.5 system-ui,sans-serif;color:#1b1b1b;background:#f3f5f8}
header{background:#a50e0e;color:#fff;padding:.75rem 1rem}header p{margin:0;font-weight:700}
main{max-width:36rem;margin:0 auto;padding:1rem}h1{font-size:1.5rem;margin:.5rem 0 1rem}
.notice{border-left:4px solid #b35c00;background:#fff4e5;padding:.5rem .75rem}
fieldset{border:0;padding:0;margin:0 0 1rem}legend{font-weight:700;margin-bottom:.5rem}
label.choice{display:flex;gap:.75rem;align-items:flex-start;background:#fff;border:1px solid #6b6b6b;border-radius:4px;padding:.75rem;margin-bottom:.5rem}
label.choice input{width:1.5rem;height:1.5rem;margin:0;flex:none}.hint{color:#454545;font-size:.9375rem}
.error{border:3px solid #b10e1e;padding:.5rem .75rem;background:#fff}.error p{margin:0;color:#b10e1e;font-weight:700}
.actions{display:flex;flex-wrap:wrap;gap:.75rem}button{font:inherit;min-height:2.75rem;padding:.5rem 1.25rem;border-radius:4px;border:2px solid #0b4f9c;cursor:pointer}
button.primary{background:#0b4f9c;color:#fff}button.secondary{background:#fff;color:#0b4f9c}
button:focus-visible,input:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}dl div{display:flex;gap:.5rem;flex-wrap:wrap}dt{font-weight:700}dd{margin:0}`;

function page(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – VNeID (thử nghiệm)</title>
<link rel="stylesheet" href="/idp.css">
</head>
<body>
<header><p>VNeID – định danh điện tử (bản thử nghiệm)</p></header>
<main>
<h1>${title}</h1>
<p class="notice">Đây là nhà cung cấp định danh dùng để phát triển và trình diễn, không phải hệ thống VNeID thật.</p>
${body}
</main>
</body>
</html>`.value;
}

const cancelButton = (uid: string, label = 'Hủy, quay lại cổng dịch vụ công') =>
  html`<form method="post" action="/interaction/${uid}/abort"><div class="actions"><button type="submit" class="secondary">${label}</button></div></form>`;

export function loginPage(uid: string, opts: { error?: string } = {}): string {
  const choice = (i: DemoIdentity, n: number) =>
    html`<label class="choice"><input type="radio" name="identity" value="${i.sub}"${n === 0 ? html` id="identity"${opts.error ? html` aria-describedby="identity-error"` : ''}` : ''}> <span>${i.fullName}<br><span class="hint">Số định danh ${maskPersonalId(i.personalId)}${i.note ? ` – ${i.note}` : ''}</span></span></label>`;
  return page(
    'Đăng nhập',
    html`${opts.error ? html`<div class="error" role="alert"><p id="identity-error"><a href="#identity">${opts.error}</a></p></div>` : ''}
<form method="post" action="/interaction/${uid}/login">
<fieldset>
<legend>Chọn người dùng thử để đăng nhập</legend>
${demoIdentities.map(choice)}
</fieldset>
<div class="actions"><button type="submit" class="primary">Đăng nhập</button></div>
</form>
${cancelButton(uid)}`,
  );
}

/** Names of the facts shown on the consent page, by the portal's configured claim names. */
export function consentPage(uid: string, clientName: string, identity: DemoIdentity): string {
  return page(
    'Đồng ý chia sẻ thông tin',
    html`<p><strong>${clientName}</strong> đề nghị được nhận các thông tin sau của bạn để đăng nhập:</p>
<dl>
<div><dt>Họ và tên:</dt><dd>${identity.fullName}</dd></div>
<div><dt>Số định danh cá nhân:</dt><dd>${maskPersonalId(identity.personalId)}</dd></div>
<div><dt>Ngày sinh:</dt><dd>${identity.birthDate.split('-').reverse().join('/')}</dd></div>
<div><dt>Giới tính:</dt><dd>${identity.gender === 'male' ? 'Nam' : 'Nữ'}</dd></div>
</dl>
<form method="post" action="/interaction/${uid}/confirm"><div class="actions"><button type="submit" class="primary">Đồng ý</button></div></form>
${cancelButton(uid, 'Không đồng ý')}`,
  );
}

export function errorPage(message: string): string {
  return page('Có lỗi xảy ra', html`<p>${message}</p><p>Hãy quay lại cổng dịch vụ công và bấm "Đăng nhập bằng VNeID" để thử lại.</p>`);
}
