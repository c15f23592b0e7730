/** A clock that moves only when told: for tests of leases and back-off. */
export function manualClock(startIso = '2026-03-02T01:00:00.000Z') {
  let now = Date.parse(startIso);
  return {
    clock: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
    set(iso: string) {
      now = Date.parse(iso);
    },
  };
}

/** Records what a worker logs, to check that it logs what it should and nothing personal. */
export function memoryLogger() {
  const lines: { level: 'info' | 'warn' | 'error'; obj: object; msg: string }[] = [];
  return {
    lines,
    info: (obj: object, msg: string) => void lines.push({ level: 'info', obj, msg }),
    warn: (obj: object, msg: string) => void lines.push({ level: 'warn', obj, msg }),
    error: (obj: object, msg: string) => void lines.push({ level: 'error', obj, msg }),
  };
}

/** A promise with its resolver, to hold a handler until the test lets it go. */
export function gate<T = void>() {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
