import { Provider } from '@nestjs/common';
import { CLOCK, ControllableClock, SystemClock } from '@recert/clock';
import { RECERT_CONFIG, RecertConfig } from '../config/recert-config';

/** The one clock of a service: the system clock, or in test/demo mode one that can be advanced. */
export const clockProvider: Provider = {
  provide: CLOCK,
  inject: [RECERT_CONFIG],
  useFactory: (config: RecertConfig) =>
    config.clockMode === 'controllable' ? new ControllableClock() : new SystemClock(),
};
