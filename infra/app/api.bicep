// The Function App: Flex Consumption (Linux, Node 20), user-assigned identity for every connection,
// and App Service Authentication (EasyAuth) in front of every route.
param name string
param location string = resourceGroup().location
param tags object = {}
param planName string
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerName string
param applicationInsightsConnectionString string

@description('Application settings besides the host, identity and telemetry ones set here.')
param appSettings object

@description('Client id of the Entra app registration whose tokens EasyAuth accepts. Empty: no provider, so every non-public route answers 401.')
param authClientId string = ''

@description('Paths served without a principal (EasyAuth excludedPaths).')
param publicPaths array = ['/api/v1/health']

@description('Origins a browser may call the API from (siteConfig.cors), e.g. the web app\'s. Empty: no cross-origin calls.')
param allowedOrigins array = []

@description('Whether cross-origin calls may carry credentials (cookies, Authorization): Access-Control-Allow-Credentials. Not with a "*" origin.')
param corsSupportCredentials bool = false

param instanceMemoryMB int = 2048
param maximumInstanceCount int = 100

var blobEndpoint = 'https://${storageAccountName}.blob.${environment().suffixes.storage}'

var settings = union(appSettings, {
  // Host storage (triggers, timers, Durable task hub) through the identity: no connection string.
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  // DefaultAzureCredential in the SDK clients picks the user-assigned identity from this.
  AZURE_CLIENT_ID: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
})

// Flex Consumption: Linux, per-execution billing, scale to zero.
resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true } // Linux
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      // App Service answers preflights and adds the CORS headers for these origins before the code runs.
      cors: { allowedOrigins: allowedOrigins, supportCredentials: corsSupportCredentials }
      appSettings: [for s in items(settings): { name: s.key, value: s.value }]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}/${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: { name: 'node', version: '20' }
    }
  }
}

// Authentication required: EasyAuth answers 401 before the code runs unless the request carries a valid
// token, and it strips any incoming x-ms-client-principal* header, so the principal the app reads is
// always the platform's. Only publicPaths (health) bypass it.
resource auth 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true, runtimeVersion: '~1' }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
      excludedPaths: publicPaths
    }
    identityProviders: empty(authClientId)
      ? {}
      : {
          azureActiveDirectory: {
            enabled: true
            registration: {
              clientId: authClientId
              openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
            }
            validation: {
              allowedAudiences: [authClientId, 'api://${authClientId}']
            }
          }
        }
    login: { tokenStore: { enabled: false } } // bearer tokens only: nothing to store
    httpSettings: { requireHttps: true }
  }
}

output name string = site.name
output uri string = 'https://${site.properties.defaultHostName}'
