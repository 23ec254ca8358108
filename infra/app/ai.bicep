// Document Intelligence (extraction) and Azure OpenAI (summaries, template formatting), both Entra-only.
// Token auth needs a custom subdomain, so each account gets one named after itself.
param documentIntelligenceName string
param openAiName string
param location string = resourceGroup().location
param openAiLocation string = location
param tags object = {}

param chatModelName string = 'gpt-4o-mini'
param chatModelVersion string = '2024-07-18'
param chatDeploymentSku string = 'GlobalStandard'
@description('Thousands of tokens per minute.')
param chatDeploymentCapacity int = 30

resource documentIntelligence 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  name: documentIntelligenceName
  location: location
  tags: tags
  kind: 'FormRecognizer'
  sku: { name: 'S0' }
  properties: {
    customSubDomainName: documentIntelligenceName
    disableLocalAuth: true // no API keys: Cognitive Services User role only
    publicNetworkAccess: 'Enabled'
  }
}

resource openAi 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  name: openAiName
  location: openAiLocation
  tags: tags
  kind: 'OpenAI'
  sku: { name: 'S0' }
  properties: {
    customSubDomainName: openAiName
    disableLocalAuth: true // no API keys: Cognitive Services OpenAI User role only
    publicNetworkAccess: 'Enabled'
  }
}

resource chatDeployment 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = {
  parent: openAi
  name: chatModelName
  sku: { name: chatDeploymentSku, capacity: chatDeploymentCapacity }
  properties: {
    model: { format: 'OpenAI', name: chatModelName, version: chatModelVersion }
    versionUpgradeOption: 'OnceNewDefaultVersionAvailable'
  }
}

output documentIntelligenceName string = documentIntelligence.name
output documentIntelligenceEndpoint string = documentIntelligence.properties.endpoint
output openAiName string = openAi.name
output openAiEndpoint string = openAi.properties.endpoint
output chatDeploymentName string = chatDeployment.name
