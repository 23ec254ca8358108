import type { InvocationContext, Timer, TimerHandler } from '@azure/functions';
import type { OrchestrationControl } from '../ports/orchestration';
import { orchestrationFor, readyServices, type AppServices } from './compositionRoot';

/** What a timer function's body works with. */
export interface TimerWork {
  services: AppServices;
  /** The Durable client, built on first use (the function must declare `df.input.durableClient()`). */
  orchestration: () => OrchestrationControl;
  context: InvocationContext;
  now: Date;
}

/** A timer function: the ready services and a lazily built Durable client, like HTTP functions get. */
export function timerJob(work: (input: TimerWork) => Promise<void>): TimerHandler {
  return async (_timer: Timer, context: InvocationContext) => {
    const services = await readyServices();
    let control: OrchestrationControl | undefined;
    await work({
      services,
      orchestration: () => (control ??= orchestrationFor(context)),
      context,
      now: new Date(),
    });
  };
}
