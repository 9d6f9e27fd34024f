import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  HttpException,
  Post,
  Req,
  Res,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { PublicRoute } from '@recert/platform';
import { StaffSessions } from '../staff-sessions/staff-sessions';
import { SignInHandler } from './sign-in.handler';

class SignInDto extends createZodDto(
  z.strictObject({ email: z.string().trim().min(1).max(254), password: z.string().min(1).max(256) }),
) {}

/** What the console learns of its session: who, in which roles, the CSRF token for its actions, the limits. */
export interface SessionView {
  signedIn: boolean;
  name?: string;
  email?: string;
  roles?: readonly string[];
  csrfToken?: string;
  idleMinutes?: number;
  endsAt?: string;
}

/**
 * Signing in and out of the staff console (issue 14). Public routes: they are how a person gets a
 * session. Signing in takes JSON only, so a cross-site form cannot post it; signing out with a
 * session needs the session's CSRF token (checked in front of every route, see StaffSessions).
 */
@ApiTags('staff')
@Controller('v1/session')
export class SessionHttpController {
  constructor(
    private readonly signIns: SignInHandler,
    private readonly sessions: StaffSessions,
  ) {}

  @Get()
  @PublicRoute()
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'The signed-in person, their roles and the CSRF token for their actions; signedIn false otherwise.',
  })
  current(@Req() req: Request, @Res({ passthrough: true }) res: Response): SessionView {
    const staff = this.sessions.enabled ? this.sessions.current(req) : null;
    if (!staff) return { signedIn: false };
    return this.view(staff, this.sessions.csrfToken(req, res), staff.signedInAt);
  }

  @Post()
  @HttpCode(200)
  @PublicRoute()
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary:
      'Sign in with e-mail and password: a session cookie (HttpOnly, SameSite=Strict) and the CSRF token. 401 for a wrong e-mail or password alike; 429 while the account is locked after repeated failures.',
  })
  async signIn(
    @Body() body: SignInDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SessionView> {
    if (!this.sessions.enabled)
      throw new ServiceUnavailableException('staff sign-in is not configured (STAFF_IDENTITY_SECRET)');
    const outcome = await this.signIns.signIn(body.email, body.password);
    if (outcome.kind === 'refused') throw new UnauthorizedException('the e-mail or the password is wrong');
    if (outcome.kind === 'locked') {
      res.setHeader('retry-after', String(outcome.retryAfterSeconds));
      throw new HttpException(
        {
          statusCode: 429,
          message: `too many failed sign-ins: the account is locked until ${outcome.until.toISOString()}`,
        },
        429,
      );
    }
    const { csrfToken } = await this.sessions.start(req, res, outcome.identity);
    const staff = this.sessions.current(req);
    return this.view(outcome.identity, csrfToken, staff?.signedInAt ?? 0);
  }

  @Post('sign-out')
  @HttpCode(204)
  @PublicRoute()
  @ApiOperation({ summary: 'End the session (with its CSRF token and no body); 401 without a session.' })
  async signOut(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const length = req.headers['content-length'];
    if ((length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined)
      throw new BadRequestException('signing out takes no body');
    if (!this.sessions.enabled || !this.sessions.current(req))
      throw new UnauthorizedException('there is no session to sign out of');
    await this.sessions.end(req, res);
  }

  private view(
    staff: { name: string; email: string; roles: readonly string[] },
    csrfToken: string,
    signedInAt: number,
  ): SessionView {
    const { idleMs, absoluteMs } = this.sessions.limits;
    return {
      signedIn: true,
      name: staff.name,
      email: staff.email,
      roles: staff.roles,
      csrfToken,
      idleMinutes: idleMs / 60_000,
      endsAt: new Date(signedInAt + absoluteMs).toISOString(),
    };
  }
}
