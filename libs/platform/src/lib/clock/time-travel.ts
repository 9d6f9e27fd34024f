import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Inject,
  Injectable,
  NotFoundException,
  Post,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Clock, CLOCK, ControllableClock } from '@recert/clock';
import { z } from 'zod';
import { Roles } from '../access/access.decorator';

/** Something that acts when time moves: the deadline runner fires what came due. */
export interface TimeListener {
  /** The earliest instant at which it has something to do, or null. */
  nextDueAt(): Promise<Date | null>;
  /** Called after the clock moved; returns how many things it did. */
  onClockMoved(): Promise<number>;
}

/** The service's listeners; only used with a controllable clock (tests and demos). */
@Injectable()
export class TimeTravel {
  private readonly listeners: TimeListener[] = [];

  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  register(listener: TimeListener): void {
    this.listeners.push(listener);
  }

  get controllable(): boolean {
    return this.clock instanceof ControllableClock;
  }

  async nextDueAt(): Promise<Date | null> {
    const dates = (await Promise.all(this.listeners.map((l) => l.nextDueAt()))).filter((d): d is Date => d !== null);
    return dates.length === 0 ? null : new Date(Math.min(...dates.map((d) => d.getTime())));
  }

  /** Moves the clock to `to` (never backwards) and lets every listener act; returns what they did. */
  async moveTo(to: Date): Promise<number> {
    if (!(this.clock instanceof ControllableClock)) throw new Error('the clock of this service is not controllable');
    if (to.getTime() > this.clock.now().getTime()) this.clock.setTo(to);
    let done = 0;
    for (const listener of this.listeners) done += await listener.onClockMoved();
    return done;
  }
}

const MoveClockBody = z.strictObject({ to: z.iso.datetime({ offset: true }) });

/**
 * Time travel for tests and demos (CLOCK_MODE=controllable, refused in production): the gateway
 * moves every service's clock in step, deadline by deadline, through these routes.
 */
@ApiExcludeController()
@Roles('ops')
@Controller('clock')
export class ClockHttpController {
  constructor(
    private readonly timeTravel: TimeTravel,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  async read() {
    this.requireControllable();
    return {
      now: this.clock.now().toISOString(),
      nextDueAt: (await this.timeTravel.nextDueAt())?.toISOString() ?? null,
    };
  }

  @Post()
  async move(@Body() body: unknown) {
    this.requireControllable();
    const parsed = MoveClockBody.safeParse(body);
    if (!parsed.success) throw new BadRequestException(`to: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const fired = await this.timeTravel.moveTo(new Date(parsed.data.to));
    return { now: this.clock.now().toISOString(), fired };
  }

  private requireControllable(): void {
    if (!this.timeTravel.controllable) throw new NotFoundException('the clock is the system clock here');
  }
}
