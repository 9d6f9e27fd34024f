import { Provider } from '@nestjs/common';
import { CLOCK, ControllableClock, SystemClock } from '@recert/clock';
import { RECERT_CONFIG, RecertConfig } from '../config/recert-config';

/** The one clock of a service: the system clock, or in test/demo mode one that can be advanced. */
export const clockProvider: Provider = {
  provide: CLOCK,
  inject: [RECERT_CONFIG],
  useFactory: (config: RecertConfig) => {
    if (config.clockMode !== 'controllable') return new SystemClock();
    const system = new SystemClock();
    // Before or after the machine's time: tests pin a day so their dates hold whenever they run;
    // once started, the clock still only moves forward.
    const offset = config.clockStartAt ? config.clockStartAt.getTime() - system.now().getTime() : 0;
    return new ControllableClock(system, offset);
  },
};
