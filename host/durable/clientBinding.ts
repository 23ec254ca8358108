/**
 * The `durableClient` input binding data, shaped like the extension's (`OrchestrationClientInputData`),
 * so `df.getClient(context)` works unmodified.
 *
 * The client sends every call to `rpcBaseUrl` (`orchestrators/...`, `instances/...`); the
 * management URLs are only handed out (createCheckStatusResponse). Both point at the same
 * webhook path here, served by `handleHttp`. Locally there is no system key, so no `code=`.
 */

/** Where the Durable HTTP API lives, under the host's base URL. */
export const webhookPath = '/runtime/webhooks/durabletask';

/** Placeholder the client replaces with the instance id in management URLs. */
const instanceIdPlaceholder = 'INSTANCEID';

export interface ManagementUrls {
  id: string;
  statusQueryGetUri: string;
  sendEventPostUri: string;
  terminatePostUri: string;
  rewindPostUri: string;
  purgeHistoryDeleteUri: string;
  restartPostUri: string;
  suspendPostUri: string;
  resumePostUri: string;
}

export interface ClientBindingData {
  taskHubName: string;
  creationUrls: { createNewInstancePostUri: string; createAndWaitOnNewInstancePostUri: string };
  managementUrls: ManagementUrls;
  baseUrl: string;
  requiredQueryStringParameters: string;
  rpcBaseUrl: string;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Management URLs for `instanceId` (the placeholder itself when building the binding data). */
export function managementUrls(baseUrl: string, taskHubName: string, instanceId: string): ManagementUrls {
  const webhook = `${trimSlash(baseUrl)}${webhookPath}`;
  const query = `taskHub=${encodeURIComponent(taskHubName)}&connection=Storage`;
  const instance = `${webhook}/instances/${instanceId === instanceIdPlaceholder ? instanceId : encodeURIComponent(instanceId)}`;
  return {
    id: instanceId,
    statusQueryGetUri: `${instance}?${query}`,
    sendEventPostUri: `${instance}/raiseEvent/{eventName}?${query}`,
    terminatePostUri: `${instance}/terminate?reason={text}&${query}`,
    rewindPostUri: `${instance}/rewind?reason={text}&${query}`,
    purgeHistoryDeleteUri: `${instance}?${query}`,
    restartPostUri: `${instance}/restart?${query}`,
    suspendPostUri: `${instance}/suspend?reason={text}&${query}`,
    resumePostUri: `${instance}/resume?reason={text}&${query}`,
  };
}

export function clientBindingData(baseUrl: string, taskHubName: string): ClientBindingData {
  const webhook = `${trimSlash(baseUrl)}${webhookPath}`;
  const create = `${webhook}/orchestrators/{functionName}[/{instanceId}]`;
  return {
    taskHubName,
    creationUrls: {
      createNewInstancePostUri: create,
      createAndWaitOnNewInstancePostUri: `${create}?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}`,
    },
    managementUrls: managementUrls(baseUrl, taskHubName, instanceIdPlaceholder),
    baseUrl: webhook,
    requiredQueryStringParameters: `taskHub=${encodeURIComponent(taskHubName)}&connection=Storage`,
    // The client resolves relative paths against it, so the trailing slash matters.
    rpcBaseUrl: `${webhook}/`,
  };
}
