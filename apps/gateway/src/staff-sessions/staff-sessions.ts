import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import connectPgSimple from 'connect-pg-simple';
import cookieParser from 'cookie-parser';
import { doubleCsrf } from 'csrf-csrf';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import { DataSource } from 'typeorm';
import { Clock, CLOCK } from '@recert/clock';
import {
  forwardedCredentials,
  mintStaffIdentity,
  RECERT_CONFIG,
  RecertConfig,
  STAFF_IDENTITY_HEADER,
  StaffIdentity,
} from '@recert/platform';
import { sessionEnded, SessionTimes } from './session-expiry';
import { STAFF_SESSION_CONFIG, StaffSessionConfig } from './staff-session-config';

declare module 'express-session' {
  interface SessionData {
    /** The signed-in person, and when (the gateway's clock) they signed in and were last seen. */
    staff?: StaffIdentity & SessionTimes;
  }
}

/** Set on the answer to the request that found the session ended, so the console can say why. */
export const SESSION_ENDED_HEADER = 'x-recert-session-ended';
export const CSRF_HEADER = 'x-csrf-token';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * People's sessions (issue 14), in front of every route of the gateway: the session (a cookie
 * naming a row of staff_sessions, through express-session and connect-pg-simple) becomes the signed
 * identity header that the AccessGuard of the gateway and of every service behind it verifies, so
 * access is decided in one place for machines and people alike. A session is judged by the
 * injected clock: idle and absolute expiry. The cookie's own expiry and the store's pruning of
 * old rows use the machine's time (express-session and connect-pg-simple keep their own), which
 * only bounds how long a row outlives a session the clock has ended.
 *
 * A request that acts (POST, PUT, PATCH, DELETE) on the strength of its session must carry the
 * CSRF token (csrf-csrf's double submit, bound to the session id) in X-CSRF-Token; one with a
 * bearer token is a machine's and sends no cookie worth forging.
 */
@Injectable()
export class StaffSessions implements OnApplicationShutdown {
  private readonly store: connectPgSimple.PGStore | null;
  private readonly csrf: ReturnType<typeof doubleCsrf> | null;

  constructor(
    dataSource: DataSource,
    @Inject(RECERT_CONFIG) platform: RecertConfig,
    @Inject(STAFF_SESSION_CONFIG) private readonly config: StaffSessionConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    const secret = config.sessionSecret;
    if (!secret) {
      this.store = null;
      this.csrf = null;
      return;
    }
    const PgStore = connectPgSimple(session);
    this.store = new PgStore({
      // TypeORM's pg pool: the sessions live in the gateway's own schema, beside its other tables.
      pool: (dataSource.driver as unknown as { master: import('pg').Pool }).master,
      schemaName: platform.database.schema,
      tableName: 'staff_sessions',
      createTableIfMissing: false,
      pruneSessionInterval: 15 * 60,
    });
    this.csrf = doubleCsrf({
      getSecret: () => secret,
      getSessionIdentifier: (req) => req.session?.id ?? '',
      cookieName: this.cookieName('recert.csrf'),
      cookieOptions: { sameSite: 'strict', secure: config.secureCookies, httpOnly: true, path: '/' },
      getCsrfTokenFromRequest: (req) => req.headers[CSRF_HEADER],
    });
  }

  /** Whether people can sign in here at all (STAFF_IDENTITY_SECRET set). */
  get enabled(): boolean {
    return this.store !== null;
  }

  /** The handlers to put in front of every route, in order. */
  handlers(): RequestHandler[] {
    const strip: RequestHandler = (req, _res, next) => {
      // Only this gateway vouches for a person: whatever a client sent under that name goes.
      delete req.headers[STAFF_IDENTITY_HEADER];
      next();
    };
    if (!this.store || !this.config.sessionSecret) return [strip];
    return [
      strip,
      cookieParser(),
      session({
        name: this.cookieName('recert.sid'),
        secret: this.config.sessionSecret,
        store: this.store,
        resave: false,
        saveUninitialized: false,
        rolling: false,
        // Behind a TLS-terminating proxy, its X-Forwarded-Proto says the request came over HTTPS.
        proxy: this.config.secureCookies,
        cookie: {
          httpOnly: true,
          sameSite: 'strict',
          secure: this.config.secureCookies,
          path: '/',
          maxAge: this.config.absoluteMs,
        },
      }),
      (req, res, next) => this.vouch(req, res, next),
    ];
  }

  /** Starts a session for a person who just proved who they are; a new id, so no fixation. */
  async start(req: Request, res: Response, identity: StaffIdentity): Promise<{ csrfToken: string }> {
    await new Promise<void>((resolve, reject) => req.session.regenerate((e) => (e ? reject(e) : resolve())));
    const now = this.clock.now().getTime();
    req.session.staff = { ...identity, roles: [...identity.roles], signedInAt: now, lastSeenAt: now };
    await new Promise<void>((resolve, reject) => req.session.save((e) => (e ? reject(e) : resolve())));
    return { csrfToken: this.csrfToken(req, res) };
  }

  async end(req: Request, res: Response): Promise<void> {
    if (req.session)
      await new Promise<void>((resolve, reject) => req.session.destroy((e) => (e ? reject(e) : resolve())));
    res.clearCookie(this.cookieName('recert.sid'), { path: '/' });
  }

  /** The CSRF token of the current session (made once per session, then the same). */
  csrfToken(req: Request, res: Response): string {
    if (!this.csrf) throw new Error('staff sessions are not configured');
    return this.csrf.generateCsrfToken(req, res, { overwrite: false });
  }

  /** The session's person and its times, or null. */
  current(req: Request): (StaffIdentity & SessionTimes) | null {
    return req.session?.staff ?? null;
  }

  /**
   * The credentials to pass on for the request, a person's identity minted anew by the clock now:
   * for the gateway's own calls that go on while the clock moves (time travel).
   */
  credentialsFor(req: Request): Record<string, string> {
    const forwarded = forwardedCredentials(req);
    const staff = req.session?.staff;
    if (!staff || !forwarded[STAFF_IDENTITY_HEADER] || !this.config.identitySecret) return forwarded;
    return {
      ...forwarded,
      [STAFF_IDENTITY_HEADER]: mintStaffIdentity(this.config.identitySecret, staff, this.clock.now()),
    };
  }

  get limits(): { idleMs: number; absoluteMs: number } {
    return { idleMs: this.config.idleMs, absoluteMs: this.config.absoluteMs };
  }

  private vouch(req: Request, res: Response, next: NextFunction): void {
    const staff = req.session?.staff;
    if (!staff || req.headers.authorization !== undefined) return next();
    const now = this.clock.now();
    const ended = sessionEnded(staff, now.getTime(), this.config);
    if (ended) {
      res.setHeader(SESSION_ENDED_HEADER, ended);
      this.end(req, res).then(() => next(), next);
      return;
    }
    if (UNSAFE.has(req.method) && !this.csrf?.validateRequest(req)) {
      res.status(403).json({ statusCode: 403, message: 'the CSRF token is missing or wrong (X-CSRF-Token)' });
      return;
    }
    req.session.staff = { ...staff, lastSeenAt: now.getTime() };
    req.headers[STAFF_IDENTITY_HEADER] = mintStaffIdentity(this.config.identitySecret as string, staff, now);
    next();
  }

  private cookieName(base: string): string {
    // __Host-: the browser keeps it only from HTTPS, for this host and path /, so no subdomain can plant one.
    return this.config.secureCookies ? `__Host-${base}` : base;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store?.close();
  }
}
