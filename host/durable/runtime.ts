import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { LogSink, RegisteredFunction, RpcTypedData } from '../functionsCore';
import { invokeActivity } from './activityInvocation';
import { SystemClock, type Clock } from './clock';
import { clientBindingData, managementUrls, type ManagementUrls } from './clientBinding';
import { DurableApiError } from './durableErrors';
import {
  applyCancellations,
  followUpEvent,
  newExecution,
  scheduleAction,
  type Execution,
  type ExecutionEffects,
} from './execution';
import {
  describeHistory,
  eventRaised,
  executionCompleted,
  executionStarted,
  executionTerminated,
  orchestratorCompleted,
  orchestratorStarted,
  taskCompleted,
  taskFailed,
  timerFired,
} from './historyEvents';
import { handleDurableHttp } from './httpApi';
import {
  isFinished,
  matchesFilter,
  statusTimestamp,
  type InstanceFilter,
  type OrchestrationStatusPayload,
  type RuntimeStatus,
} from './instanceStatus';
import { describeMismatch, findMismatch } from './nonDeterminism';
import type { DurableOperations, StartOptions, StatusOptions } from './operations';
import { runEpisode, type EpisodeOutcome } from './orchestratorEpisode';
import type { TimerBounds } from './longTimers';
import { appOverridableStates, isOverridable, type OverridableStates } from './overridableStates';
import type { HistoryEvent, IncomingEvent } from './protocol';
import { loadDurableTimerSettings } from '../../shared/config';

const logCategory = 'Host.Triggers.DurableTask';

export interface LocalDurableRuntimeOptions {
  /** The captured registrations (read on each use, so later registrations are seen). */
  functions: ReadonlyMap<string, RegisteredFunction>;
  log: LogSink;
  /** Where the host serves, e.g. http://127.0.0.1:7071: the durable client calls back there. */
  baseUrl: string;
  taskHubName: string;
  clock?: Clock;
  /** How long timers are split; defaults to the `DURABLE_*_TIMER_INTERVAL_SECONDS` settings. */
  timers?: TimerBounds;
  /** Which existing instances `startNew` may replace; defaults to the app's host.json. */
  overridableExistingInstanceStates?: OverridableStates;
}

export interface PendingTimer {
  timerId: number;
  fireAt: Date;
}

interface Instance {
  readonly instanceId: string;
  readonly name: string;
  readonly version: string;
  /** Reset by continueAsNew, as the extension does for each generation. */
  createdTime: Date;
  status: RuntimeStatus;
  lastUpdatedTime: Date;
  /** JSON text. */
  output: string | null;
  /** JSON text. */
  customStatus: string | null;
  execution: Execution;
  /** Events not delivered yet: one per episode, in arrival order. */
  inbox: IncomingEvent[];
  /** Whether an episode loop runs for this instance: episodes of one instance never overlap. */
  draining: boolean;
}

function parseJsonText(text: string | null): unknown {
  return text === null ? null : (JSON.parse(text) as unknown);
}

function toJsonText(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/**
 * A local stand-in for the Durable Functions extension: an in-memory task hub that drives the
 * registered durable-functions orchestrators through the real library, episode by episode.
 *
 * Each new event (start, activity result, timer, external event) is delivered in an episode of
 * its own: the library numbers tasks in the order it processes history, and with one new event
 * per episode the ids the runtime assigns (including those for retry timers and long-timer
 * segments) line up with the library's without having to predict its interleaving.
 */
export class LocalDurableRuntime implements DurableOperations {
  private readonly functions: ReadonlyMap<string, RegisteredFunction>;
  private readonly log: LogSink;
  private readonly baseUrl: string;
  private readonly taskHubName: string;
  private readonly clock: Clock;
  private readonly timers: TimerBounds;
  private readonly overridable: OverridableStates;
  private readonly instances = new Map<string, Instance>();
  private busy = 0;
  private idleWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(options: LocalDurableRuntimeOptions) {
    this.functions = options.functions;
    this.log = options.log;
    this.baseUrl = options.baseUrl;
    this.taskHubName = options.taskHubName;
    this.clock = options.clock ?? new SystemClock();
    this.timers = options.timers ?? loadDurableTimerSettings(process.env);
    this.overridable = options.overridableExistingInstanceStates ?? appOverridableStates();
  }

  /** The `durableClient` input binding data for HTTP and timer functions (`df.getClient(context)`). */
  clientBindingData(): RpcTypedData {
    return { string: JSON.stringify(clientBindingData(this.baseUrl, this.taskHubName)) };
  }

  /** Serves `/runtime/webhooks/durabletask/...`; false when the request is not for it. */
  handleHttp(req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
    return handleDurableHttp(this, req, res, this.log);
  }

  managementUrls(instanceId: string): ManagementUrls {
    return managementUrls(this.baseUrl, this.taskHubName, instanceId);
  }

  // ---- management operations (also reached through the HTTP API) ----

  startNew(orchestratorName: string, options: StartOptions = {}): string {
    const orchestrator = this.functions.get(orchestratorName);
    if (orchestrator?.trigger.type !== 'orchestrationTrigger') {
      throw new DurableApiError(
        400,
        `The function '${orchestratorName}' doesn't exist, is disabled, or is not an orchestrator function.`,
      );
    }
    const instanceId = options.instanceId ?? randomUUID().replace(/-/g, '');
    const existing = this.instances.get(instanceId);
    if (existing && !isOverridable(this.overridable, existing.status)) {
      // The extension answers with DTFx's OrchestrationAlreadyExistsException, unmapped: a 500.
      throw new DurableApiError(
        500,
        `An Orchestration instance with the status ${existing.status} already exists.`,
      );
    }
    if (existing) {
      // Replaced: whatever it still had in flight is for an execution that no longer exists.
      existing.status = 'Terminated';
      this.cancelTimers(existing.execution);
    }

    const now = this.clock.now();
    const input = toJsonText(options.input);
    const version = options.version ?? '';
    const instance: Instance = {
      instanceId,
      name: orchestratorName,
      version,
      createdTime: now,
      status: 'Pending',
      lastUpdatedTime: now,
      output: null,
      customStatus: null,
      execution: newExecution(input, this.timers),
      inbox: [executionStarted(now, orchestratorName, input, version)],
      draining: false,
    };
    this.instances.set(instanceId, instance);
    this.log('information', logCategory, `${orchestratorName} (${instanceId}): scheduled.`);
    this.kick(instance);
    return instanceId;
  }

  getStatus(instanceId: string, options: StatusOptions = {}): OrchestrationStatusPayload | undefined {
    const instance = this.instances.get(instanceId);
    return instance && this.statusOf(instance, options);
  }

  listInstances(filter: InstanceFilter = {}, options: StatusOptions = {}): OrchestrationStatusPayload[] {
    return [...this.instances.values()]
      .filter((instance) => matchesFilter(instance, filter))
      .map((instance) => this.statusOf(instance, options));
  }

  /** Delivers an external event; one raised before the orchestrator waits for it is kept until it does. */
  raiseEvent(instanceId: string, eventName: string, data?: unknown): void {
    const instance = this.requireInstance(instanceId);
    if (isFinished(instance.status)) {
      throw new DurableApiError(
        410,
        `Instance '${instanceId}' is ${instance.status}: event '${eventName}' dropped.`,
      );
    }
    this.deliver(instance, instance.execution, eventRaised(this.clock.now(), eventName, toJsonText(data)));
  }

  terminate(instanceId: string, reason?: string): void {
    const instance = this.requireInstance(instanceId);
    if (isFinished(instance.status)) {
      throw new DurableApiError(410, `Instance '${instanceId}' is already ${instance.status}.`);
    }
    const now = this.clock.now();
    const output = toJsonText(reason ?? null);
    // Takes effect at once: an episode still running for it is discarded when it returns. DTFx
    // records a terminate as an episode of its own: the event, then the execution completing
    // with status Terminated (TaskOrchestrationContext.HandleExecutionTerminatedEvent).
    instance.execution.history.push(
      orchestratorStarted(now),
      executionTerminated(now, output),
      executionCompleted(now, 'Terminated', output),
      orchestratorCompleted(now),
    );
    this.finish(instance, 'Terminated', output);
    this.log(
      'warning',
      logCategory,
      `${instance.name} (${instanceId}): terminated (${reason ?? 'no reason'}).`,
    );
  }

  purgeInstance(instanceId: string): number {
    const instance = this.requireInstance(instanceId);
    if (!isFinished(instance.status)) {
      throw new DurableApiError(
        412,
        `Only orchestrations in a terminal state can be purged, but the orchestration with instance ID ${instanceId} has status ${instance.status}`,
      );
    }
    this.instances.delete(instanceId);
    return 1;
  }

  /**
   * Purges finished instances matching the filter. Unlike some storage providers, instances still
   * running are never purged, whatever the filter says.
   */
  purgeInstances(filter: InstanceFilter): number {
    let deleted = 0;
    for (const instance of [...this.instances.values()]) {
      if (isFinished(instance.status) && matchesFilter(instance, filter)) {
        this.instances.delete(instance.instanceId);
        deleted++;
      }
    }
    return deleted;
  }

  /** Purges finished instances created before `cutoff` (the retention policy); returns how many. */
  purgeFinishedBefore(cutoff: Date): number {
    return this.purgeInstances({ createdTimeTo: new Date(cutoff.getTime() - 1) });
  }

  // ---- helpers for tests and tooling ----

  /** The current execution's history, or undefined for an unknown instance. */
  history(instanceId: string): readonly HistoryEvent[] | undefined {
    return this.instances.get(instanceId)?.execution.history;
  }

  /** Durable timers waiting to fire for an instance, earliest first. */
  pendingTimers(instanceId: string): PendingTimer[] {
    const timers = this.instances.get(instanceId)?.execution.timers ?? new Map<number, { fireAt: Date }>();
    return [...timers.entries()]
      .map(([timerId, { fireAt }]) => ({ timerId, fireAt }))
      .sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime());
  }

  /** Resolves once no episode or activity is running and no event waits to be delivered (timers may be pending). */
  whenIdle(): Promise<void> {
    if (this.busy === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Cancels pending timers, starts no new episodes, and waits for running work to settle. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const instance of this.instances.values()) this.cancelTimers(instance.execution);
    await this.whenIdle();
  }

  // ---- episodes ----

  private requireInstance(instanceId: string): Instance {
    const instance = this.instances.get(instanceId);
    if (!instance) throw new DurableApiError(404, `No instance with ID '${instanceId}' found.`);
    return instance;
  }

  /** Whether `execution` is still the live execution of a live, unfinished instance. */
  private isLive(instance: Instance, execution: Execution): boolean {
    return (
      this.instances.get(instance.instanceId) === instance &&
      instance.execution === execution &&
      !isFinished(instance.status)
    );
  }

  /** Queues an event for an execution; dropped when that execution has ended (terminated, continued, purged). */
  private deliver(instance: Instance, execution: Execution, event: IncomingEvent): void {
    if (!this.isLive(instance, execution)) return;
    instance.inbox.push(event);
    this.kick(instance);
  }

  private kick(instance: Instance): void {
    if (instance.draining || this.stopped) return;
    instance.draining = true;
    // Deferred to a later turn so calls made together (start, then raise an event) are queued
    // before the first episode runs, as they would be with a real task hub.
    const turn = new Promise<void>((resolve) => setImmediate(resolve));
    this.track(turn.then(() => this.drain(instance)));
  }

  private async drain(instance: Instance): Promise<void> {
    try {
      while (!this.stopped && this.isLive(instance, instance.execution)) {
        const event = instance.inbox.shift();
        if (!event) break;
        try {
          await this.runEpisode(instance, event);
        } catch (error) {
          // A fault of this runtime, not of the orchestrator: fail loudly rather than hang. The
          // stack goes to the log only: the instance's output is readable through the status API.
          const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
          this.log('error', logCategory, `Local Durable runtime error: ${detail}`);
          const message = `Local Durable runtime error: ${error instanceof Error ? error.message : String(error)}`;
          if (this.isLive(instance, instance.execution)) this.fail(instance, message, this.clock.now());
        }
      }
    } finally {
      instance.draining = false;
    }
  }

  private async runEpisode(instance: Instance, event: IncomingEvent): Promise<void> {
    const execution = instance.execution;
    const orchestrator = this.functions.get(instance.name);
    const startedAt = new Date(Math.max(this.clock.now().getTime(), execution.lastEpisodeAt));
    if (!orchestrator) {
      this.fail(instance, `The orchestrator function '${instance.name}' is not registered.`, startedAt);
      return;
    }
    const newEvents = [orchestratorStarted(startedAt), event];
    const outcome = await runEpisode({
      orchestrator,
      instanceId: instance.instanceId,
      input: execution.input,
      history: [...execution.history, ...newEvents],
      timers: this.timers,
      log: this.log,
    });
    if (!this.isLive(instance, execution)) return; // terminated or purged while it ran
    execution.history.push(...newEvents);
    execution.lastEpisodeAt = startedAt.getTime();
    this.applyOutcome(instance, execution, event, startedAt, outcome);
  }

  private applyOutcome(
    instance: Instance,
    execution: Execution,
    event: IncomingEvent,
    now: Date,
    outcome: EpisodeOutcome,
  ): void {
    const state = outcome.state;
    const mismatch = state && findMismatch(execution.actions, state.actions);
    if (mismatch) {
      this.fail(instance, describeMismatch(instance.name, instance.instanceId, mismatch), now);
      return;
    }
    if (outcome.kind === 'threw') {
      // The extension's shim sets the custom status the state carries before it fails the instance.
      if (outcome.state?.customStatus !== undefined) {
        instance.customStatus = toJsonText(outcome.state.customStatus);
      }
      this.fail(instance, `Orchestrator function '${instance.name}' failed: ${outcome.message}`, now);
      return;
    }
    const newActions = outcome.state.actions.slice(execution.actions.length);
    const unsupported = newActions.find((a) => a.kind === 'Unsupported');
    if (unsupported?.kind === 'Unsupported') {
      const message = `Orchestrator '${instance.name}' (instance '${instance.instanceId}') uses ${unsupported.typeName}, which the local Durable runtime does not support.`;
      this.fail(instance, message, now);
      return;
    }

    instance.status = 'Running';
    instance.customStatus = toJsonText(outcome.state.customStatus);
    instance.lastUpdatedTime = this.clock.now();
    if (outcome.state.isDone) {
      execution.history.push(orchestratorCompleted(now));
      const continueAsNew = newActions.find((a) => a.kind === 'ContinueAsNew');
      if (continueAsNew?.kind === 'ContinueAsNew') this.continueAsNew(instance, continueAsNew.input, now);
      else this.complete(instance, outcome.state.output, now);
      return;
    }
    const decisions: HistoryEvent[] = [];
    const effects = this.effectsFor(instance, execution);
    // Order matters: ids the library took while processing the event come before new actions.
    followUpEvent(execution, event, now, effects, decisions);
    const fault = applyCancellations(execution, outcome.state.actions);
    if (fault) {
      this.fail(instance, fault, now);
      return;
    }
    for (const action of newActions) scheduleAction(execution, action, now, effects, decisions);
    execution.history.push(...decisions, orchestratorCompleted(now));
  }

  /** How the execution's decisions reach the world: activities, the clock, the inbox. */
  private effectsFor(instance: Instance, execution: Execution): ExecutionEffects {
    return {
      startActivity: (taskId, name, input) => this.startActivity(instance, execution, taskId, name, input),
      startTimer: (timerId, fireAt) => this.startTimer(instance, execution, timerId, fireAt),
      failUnrun: (taskId, reason) =>
        this.deliver(instance, execution, taskFailed(this.clock.now(), taskId, reason, '')),
    };
  }

  private startActivity(
    instance: Instance,
    execution: Execution,
    taskId: number,
    name: string,
    input: string,
  ): void {
    this.track(
      (async () => {
        const outcome = await invokeActivity(this.functions.get(name), name, input, this.log);
        const now = this.clock.now();
        if (!outcome.ok) {
          this.log('warning', logCategory, `${instance.name} (${instance.instanceId}): ${outcome.reason}`);
        }
        this.deliver(
          instance,
          execution,
          outcome.ok
            ? taskCompleted(now, taskId, outcome.result)
            : taskFailed(now, taskId, outcome.reason, outcome.details),
        );
      })(),
    );
  }

  private startTimer(instance: Instance, execution: Execution, timerId: number, fireAt: Date): void {
    if (this.stopped) return;
    const fire = (): void => {
      execution.timers.delete(timerId);
      this.deliver(instance, execution, timerFired(this.clock.now(), timerId, fireAt));
    };
    // Already due (a zero retry delay): no need to go through the clock.
    if (fireAt.getTime() <= this.clock.now().getTime()) return fire();
    execution.timers.set(timerId, { fireAt, cancel: this.clock.schedule(fireAt, fire) });
  }

  private cancelTimers(execution: Execution): void {
    for (const { cancel } of execution.timers.values()) cancel();
    execution.timers.clear();
  }

  // ---- endings ----

  private complete(instance: Instance, output: unknown, now: Date): void {
    const result = JSON.stringify(output ?? null);
    instance.execution.history.push(executionCompleted(now, 'Completed', result));
    this.finish(instance, 'Completed', result);
    this.log('information', logCategory, `${instance.name} (${instance.instanceId}): completed.`);
  }

  private fail(instance: Instance, message: string, now: Date): void {
    const result = JSON.stringify(message);
    instance.execution.history.push(executionCompleted(now, 'Failed', result));
    this.finish(instance, 'Failed', result);
    this.log('error', logCategory, `${instance.name} (${instance.instanceId}) failed: ${message}`);
  }

  private finish(instance: Instance, status: RuntimeStatus, output: string | null): void {
    instance.status = status;
    instance.output = output;
    instance.lastUpdatedTime = this.clock.now();
    instance.inbox = [];
    this.cancelTimers(instance.execution);
  }

  /**
   * Starts a fresh execution. As on the extension (Azure Storage), events not yet delivered are
   * dropped with the old execution, and the created time is that of the new generation.
   */
  private continueAsNew(instance: Instance, input: string, now: Date): void {
    instance.execution.history.push(executionCompleted(now, 'ContinuedAsNew', input));
    this.cancelTimers(instance.execution);
    instance.execution = newExecution(input, this.timers);
    instance.inbox = [executionStarted(now, instance.name, input, instance.version)];
    instance.createdTime = now;
    instance.status = 'ContinuedAsNew';
    instance.lastUpdatedTime = this.clock.now();
    this.log('information', logCategory, `${instance.name} (${instance.instanceId}): continued as new.`);
  }

  // ---- status ----

  private statusOf(instance: Instance, options: StatusOptions): OrchestrationStatusPayload {
    const payload: OrchestrationStatusPayload = {
      name: instance.name,
      instanceId: instance.instanceId,
      runtimeStatus: instance.status,
      input: options.showInput === false ? null : parseJsonText(instance.execution.input),
      customStatus: parseJsonText(instance.customStatus),
      output: parseJsonText(instance.output),
      createdTime: statusTimestamp(instance.createdTime),
      lastUpdatedTime: statusTimestamp(instance.lastUpdatedTime),
    };
    if (options.showHistory) {
      payload.historyEvents = describeHistory(instance.execution.history, {
        showHistoryOutput: options.showHistoryOutput === true,
        showInput: options.showInput !== false,
      });
    }
    return payload;
  }

  // ---- work tracking ----

  /** Counts running work so `whenIdle` knows when everything has settled. */
  private track(work: Promise<void>): void {
    this.busy++;
    void work
      .catch((error: unknown) => {
        const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
        this.log('error', logCategory, `Local Durable runtime error: ${detail}`);
      })
      .finally(() => {
        this.busy--;
        if (this.busy > 0) return;
        for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
  }
}
