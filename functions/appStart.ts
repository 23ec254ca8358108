import { app } from '@azure/functions';
import { appServices } from '../shared/app/compositionRoot';
import { logEvent } from '../shared/core/log';

// Bodies stream both ways (the worker's HTTP proxy): a download is piped from Blob Storage, never
// held whole in the instance's memory. Must run before the worker finishes loading the app.
app.setup({ enableHttpStream: true });

/**
 * Reads the configuration (a bad setting stops start-up, listing every problem), then creates
 * the Cosmos and Blob containers if missing. A dependency that is down does not stop start-up:
 * health reports it, and the first request that needs it provisions again.
 */
app.hook.appStart(async () => {
  const configured = appServices(); // throws ConfigError here, before any function serves
  try {
    await configured.ready();
  } catch (error) {
    logEvent(console, 'warn', 'provisioning_deferred', {
      error: error instanceof Error ? error.message : String(error),
    });
  }
});
