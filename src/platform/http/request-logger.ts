import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, Logger } from 'pino';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type LogFn = (...args: unknown[]) => void;

/**
 * A request's logger that becomes a real pino child (with the request id bound) only when
 * something is logged at an enabled level. Most requests log nothing above the configured
 * level, and building a child (bindings serialized through the redaction rules) for each one
 * was a measurable share of a cached search.
 */
class RequestLogger {
  private real: Logger | null = null;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  private logger(): Logger {
    this.real ??= this.parent.child(this.bindings, this.options);
    return this.real;
  }

  get level(): string {
    return this.real?.level ?? this.options.level ?? this.parent.level;
  }

  set level(level: string) {
    this.logger().level = level;
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): Logger {
    return this.logger().child(bindings, options);
  }

  isLevelEnabled(level: string): boolean {
    return this.real ? this.real.isLevelEnabled(level) : this.options.level ? this.logger().isLevelEnabled(level) : this.parent.isLevelEnabled(level);
  }

  silent(): void {}

  fatal = this.at('fatal');
  error = this.at('error');
  warn = this.at('warn');
  info = this.at('info');
  debug = this.at('debug');
  trace = this.at('trace');

  private at(level: Level): LogFn {
    return (...args) => {
      if (this.isLevelEnabled(level)) (this.logger()[level] as LogFn)(...args);
    };
  }
}

/** Fastify's `childLoggerFactory`: a lazy child per request. */
export function lazyRequestLogger(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  return new RequestLogger(logger as unknown as Logger, bindings, options) as unknown as FastifyBaseLogger;
}
