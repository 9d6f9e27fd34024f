import { readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import {
  Controller,
  Get,
  Header,
  Inject,
  NotFoundException,
  Param,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { PublicRoute, Roles } from '@recert/platform';

/** Where the built console is (`npx nx build staff-console`): STAFF_CONSOLE_DIR, or dist/ under the working directory. */
export function staffConsoleDir(env: Record<string, string | undefined>): string {
  return resolve(env['STAFF_CONSOLE_DIR'] ?? join(process.cwd(), 'dist', 'apps', 'staff-console'));
}
export const STAFF_CONSOLE_DIR = Symbol('StaffConsoleDir');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The page holds no data; what it shows comes from /v1, whose every route is guarded. No script from elsewhere, no framing. */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * The staff console (issue 14), served by the gateway: one page (React), the same for every path
 * of the console. The pages of reviewers and ops hold no data and are public; the ops dashboard
 * and staff pages are refused by the server to anyone outside their role, as their data is.
 */
@ApiExcludeController()
@Controller('console')
export class StaffConsoleHttpController {
  constructor(@Inject(STAFF_CONSOLE_DIR) private readonly dir: string) {}

  @Get()
  @PublicRoute()
  page(@Res() res: Response): void {
    this.sendPage(res);
  }

  @Get(['petitions', 'audits', 'trainers', 'what-if'])
  @PublicRoute()
  staffPage(@Res() res: Response): void {
    this.sendPage(res);
  }

  @Get('ops')
  @Roles('ops')
  opsPage(@Res() res: Response): void {
    this.sendPage(res);
  }

  @Get('staff')
  @Roles('admin')
  adminPage(@Res() res: Response): void {
    this.sendPage(res);
  }

  @Get('assets/:file')
  @PublicRoute()
  @Header('cache-control', 'public, max-age=31536000, immutable')
  asset(@Param('file') file: string, @Res() res: Response): void {
    const type = TYPES[extname(file)];
    if (!/^[\w.-]+$/.test(file) || !type) throw new NotFoundException(`no console asset ${file}`);
    res.type(type).send(this.read(join('assets', file), `no console asset ${file}`));
  }

  private sendPage(res: Response): void {
    res
      .set({
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      })
      .send(this.read('index.html', null));
  }

  private read(path: string, missing: string | null): Buffer {
    try {
      return readFileSync(join(this.dir, path));
    } catch {
      if (missing) throw new NotFoundException(missing);
      throw new ServiceUnavailableException(
        `the staff console is not built in ${this.dir}: npx nx build staff-console`,
      );
    }
  }
}
