import { startAzurite, startCosmosEmulator, type Emulator } from '../../host/emulators';

declare global {
  var __emulators: Emulator[] | undefined;
}

/**
 * Starts the embedded emulators once for the whole run; tests reach them through the same
 * settings the app reads (`STORAGE`, `COSMOS`), which jest's workers inherit.
 */
export default async function globalSetup(): Promise<void> {
  const [azurite, cosmos] = await Promise.all([startAzurite(), startCosmosEmulator()]);
  globalThis.__emulators = [azurite, cosmos];
  process.env.STORAGE = azurite.connectionString;
  process.env.COSMOS = cosmos.connectionString;
}
