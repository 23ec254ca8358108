// exportrail: one resource group with the Function App and everything it talks to.
// No keys anywhere: every data-plane call uses the app's user-assigned identity (rbac.bicep).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name: names the resource group and seeds the resource token.')
param environmentName string

@minLength(1)
@description('Region for every resource but Azure OpenAI. Must offer Flex Consumption (az functionapp list-flexconsumption-locations).')
@metadata({ azd: { type: 'location' } })
param location string

@description('Region for Azure OpenAI, where the chat model has quota. Empty: same as location.')
param openAiLocation string = ''

@description('Object id of the deploying user or service principal; granted the data roles for local development. Empty: skip.')
param principalId string = ''

@allowed(['User', 'ServicePrincipal'])
param principalType string = 'User'

@description('Application (client) id of the Entra app registration that EasyAuth accepts tokens for. Empty: every route but the public ones answers 401.')
param authClientId string = ''

@description('Azure OpenAI chat model, deployed under the same name.')
param chatModelName string = 'gpt-4o-mini'
param chatModelVersion string = '2024-07-18'
param chatDeploymentSku string = 'GlobalStandard'
@description('Deployment capacity in thousands of tokens per minute.')
param chatDeploymentCapacity int = 30

@description('Origins a browser may call the API from, e.g. [\'https://app.contoso.com\']: the Function App\'s CORS. Empty: none.')
param allowedOrigins array = []
@description('Whether those cross-origin calls may carry credentials (Access-Control-Allow-Credentials). Not with a "*" origin.')
param corsSupportCredentials bool = false

@description('Resource id of an existing action group the alerts notify (e-mail, SMS, webhook...). Empty: alerts fire in the portal only.')
param actionGroupId string = ''

param durableTaskHub string = 'exportrail'
@description('NCRONTAB (with seconds) of the scheduledExports timer.')
param scheduledExportsCron string = '0 */5 * * * *'
@description('NCRONTAB (with seconds) of the housekeeping timer.')
param housekeepingCron string = '0 30 3 * * *'

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = '${abbrs.webSitesFunctions}api-${resourceToken}'
var storageAccountName = '${abbrs.storageStorageAccounts}${resourceToken}'
// Names known before deployment, passed to rbac.bicep as such (not as module outputs), so what-if
// can predict the role assignments instead of short-circuiting on runtime values.
var cosmosAccountName = '${abbrs.documentDBDatabaseAccounts}${resourceToken}'
var documentIntelligenceName = '${abbrs.cognitiveServicesFormRecognizer}${resourceToken}'
var openAiName = '${abbrs.cognitiveServicesAccounts}oai-${resourceToken}'
var applicationInsightsName = '${abbrs.insightsComponents}${resourceToken}'
var blobServiceUri = 'https://${storageAccountName}.blob.${environment().suffixes.storage}'
// Flex Consumption pulls the app package from this container with the app's identity.
var deploymentContainerName = 'app-package'
var cosmosDatabaseName = 'exportrail'
var openAiApiVersion = '2024-10-21'

resource rg 'Microsoft.Resources/resourceGroups@2021-04-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}api-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: applicationInsightsName
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: storageAccountName
    location: location
    tags: tags
    containerNames: [deploymentContainerName, 'documents', 'exports', 'scheduled-exports']
  }
}

module cosmos 'app/cosmos.bicep' = {
  name: 'cosmos'
  scope: rg
  params: {
    name: cosmosAccountName
    location: location
    tags: tags
    databaseName: cosmosDatabaseName
  }
}

module ai 'app/ai.bicep' = {
  name: 'ai'
  scope: rg
  params: {
    documentIntelligenceName: documentIntelligenceName
    openAiName: openAiName
    location: location
    openAiLocation: empty(openAiLocation) ? location : openAiLocation
    tags: tags
    chatModelName: chatModelName
    chatModelVersion: chatModelVersion
    chatDeploymentSku: chatDeploymentSku
    chatDeploymentCapacity: chatDeploymentCapacity
  }
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: functionAppName
    location: location
    tags: tags
    planName: '${abbrs.webServerFarms}${resourceToken}'
    identityId: identity.outputs.resourceId
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    authClientId: authClientId
    allowedOrigins: allowedOrigins
    corsSupportCredentials: corsSupportCredentials
    appSettings: {
      STORAGE__blobServiceUri: blobServiceUri
      STORAGE__clientId: identity.outputs.clientId
      COSMOS__accountEndpoint: cosmos.outputs.endpoint
      COSMOS__clientId: identity.outputs.clientId
      COSMOS_DATABASE: cosmosDatabaseName
      AZURE_OPENAI_ENDPOINT: ai.outputs.openAiEndpoint
      AZURE_OPENAI_DEPLOYMENT: ai.outputs.chatDeploymentName
      AZURE_OPENAI_API_VERSION: openAiApiVersion
      DOCUMENT_INTELLIGENCE_ENDPOINT: ai.outputs.documentIntelligenceEndpoint
      DURABLE_TASK_HUB: durableTaskHub
      SCHEDULED_EXPORTS_CRON: scheduledExportsCron
      HOUSEKEEPING_CRON: housekeepingCron
      // Limits, at the code's defaults (shared/config.ts): here so operators see and change them
      // among the app settings. tests/unit/infra/settings.test.ts keeps them equal to the defaults.
      EXPORT_WAIT_LIMIT_MS: '20000'
      MAX_UPLOAD_BYTES: '26214400'
      UPLOAD_PARSE_DEADLINE_MS: '10000'
      UPLOAD_PARSE_MEMORY_MB: '256'
      UPLOAD_MAX_INFLATED_BYTES: '67108864'
      UPLOAD_PARSE_WORKERS: '2'
      INSTANCE_RETENTION_DAYS: '30'
      JOB_FILE_RETENTION_DAYS: '7'
      REVIEW_WINDOW_SECONDS: '2592000'
      BULK_BATCHES_PER_GENERATION: '50'
      JOB_BATCH_MAX_BYTES: '8388608'
    }
  }
}

module operations 'app/operations.bicep' = {
  name: 'operations'
  scope: rg
  params: {
    location: location
    tags: tags
    applicationInsightsName: applicationInsightsName
    healthUrl: '${api.outputs.uri}/api/v1/health'
    actionGroupId: actionGroupId
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  // The resources are named, not referenced, in the parameters: wait for them explicitly.
  dependsOn: [storage, cosmos, ai, monitoring]
  params: {
    identityPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
    userPrincipalType: principalType
    storageAccountName: storageAccountName
    cosmosAccountName: cosmosAccountName
    documentIntelligenceName: documentIntelligenceName
    openAiName: openAiName
    applicationInsightsName: applicationInsightsName
  }
}

// azd bookkeeping
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = api.outputs.uri

// Settings the app reads, named as in the app settings and shared/config.ts, so `azd env get-values`
// can feed a local run against the deployed resources with the developer's own identity.
// Deliberately absent: AzureWebJobsStorage__* (a local host must not join the deployed task hub)
// and the *__clientId / AZURE_CLIENT_ID / APPLICATIONINSIGHTS_AUTHENTICATION_STRING values,
// which only mean something where the managed identity exists.
output STORAGE__blobServiceUri string = blobServiceUri
output COSMOS__accountEndpoint string = cosmos.outputs.endpoint
output COSMOS_DATABASE string = cosmosDatabaseName
output AZURE_OPENAI_ENDPOINT string = ai.outputs.openAiEndpoint
output AZURE_OPENAI_DEPLOYMENT string = ai.outputs.chatDeploymentName
output AZURE_OPENAI_API_VERSION string = openAiApiVersion
output DOCUMENT_INTELLIGENCE_ENDPOINT string = ai.outputs.documentIntelligenceEndpoint
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.connectionString
output DURABLE_TASK_HUB string = durableTaskHub
output SCHEDULED_EXPORTS_CRON string = scheduledExportsCron
output HOUSEKEEPING_CRON string = housekeepingCron
