import { randomUUID } from 'node:crypto';
import { startAzurite, type Emulator } from '../../host/emulators';
import { startFaultyProxy, type FaultyProxy } from '../support/faultyProxy';
import { startHost, type RunningHost } from '../support/localHost';
import { withoutAcceptedDifferences } from './acceptedDifferences';
import { selectedEngines } from './engines';
import { observe, openStores, type Observation } from './observation';
import { scenarios, suiteSettings } from './scenarios';

/**
 * One list of scenarios (scenarios.ts) on every engine in CONFORMANCE_ENGINES: each must hold on
 * its own, and every engine's observation must equal the first engine's once the accepted
 * differences (acceptedDifferences.ts) are taken out. Each engine runs the whole app from dist/
 * on the jest run's Cosmos emulator, with its own database, behind a proxy that injects Cosmos
 * faults, and its own Azurite with Blob, Queue and Table (the extension's Azure Storage provider
 * needs all three; the jest run's Azurite serves Blob only).
 */
const engines = selectedEngines();
const observations = new Map<string, Map<string, Observation>>();

const cosmosSetting = /AccountEndpoint=([^;]+);AccountKey=([^;]+);/.exec(process.env.COSMOS ?? '');

describe.each(engines)('on the $name engine', (engine) => {
  const database = `conf_${engine.name}_${randomUUID().slice(0, 8)}`;
  let azurite: Emulator;
  let stores: ReturnType<typeof openStores>;
  let proxy: FaultyProxy;
  let host: RunningHost;
  const seen = new Map<string, Observation>();
  observations.set(engine.name, seen);

  beforeAll(async () => {
    if (!cosmosSetting?.[1] || !cosmosSetting[2]) throw new Error('COSMOS must be a key connection string.');
    azurite = await startAzurite({ services: 'all' });
    stores = openStores(database, azurite.connectionString);
    proxy = await startFaultyProxy(cosmosSetting[1]);
    host = await startHost(
      {
        ...suiteSettings,
        ...engine.env,
        STORAGE: azurite.connectionString,
        AzureWebJobsStorage: azurite.connectionString,
        COSMOS: `AccountEndpoint=${proxy.url}/;AccountKey=${cosmosSetting[2]};`,
        COSMOS_DATABASE: database,
      },
      engine.startTimeoutMs,
    );
  }, 300_000);

  afterAll(async () => {
    await host?.stop();
    await proxy?.close();
    stores?.close();
    await azurite?.stop();
  });

  it.each(scenarios.map((s) => [s.name, s] as const))('%s', async (name, scenario) => {
    const context = {
      hostUrl: host.url,
      durableApi: engine.durableApi(host.url),
      cosmosProxy: proxy,
      stores,
    };
    const run = await scenario.run(context);
    const observation = await observe(stores, context.durableApi, run.owner, run.outcome, run.instanceIds);
    seen.set(name, observation);
    scenario.expect(observation, run);
  });
});

// Compared only when there is something to compare with: each engine after the first.
const [reference, ...others] = engines;
if (reference && others.length > 0) {
  describe.each(others)('the $name engine against the reference', (engine) => {
    it.each(scenarios.map((s) => [s.name] as const))('%s', (name) => {
      const expected = observations.get(reference.name)?.get(name);
      const actual = observations.get(engine.name)?.get(name);
      if (!expected || !actual) throw new Error(`"${name}" did not complete on both engines.`);
      expect(withoutAcceptedDifferences(name, actual)).toEqual(withoutAcceptedDifferences(name, expected));
    });
  });
}
