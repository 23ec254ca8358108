// What operators watch: the workbook over the app's telemetry, and the alerts that page them.
// The queries live beside this file (operations/*.kql, operations/workbook.json); the log lines
// they read are the app's (shared/core/log.ts), and tests/integration/infra checks every field
// they use is logged.
param location string = resourceGroup().location
param tags object = {}
param applicationInsightsName string
@description('URL of the app\'s health route, probed by the availability test.')
param healthUrl string
@description('Resource id of an existing action group the alerts notify. Empty: alerts fire in the portal only.')
param actionGroupId string = ''
@description('Share of requests answered 5xx, in percent over 15 minutes, above which the 5xx alert fires.')
param serverErrorPercentThreshold int = 5

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

var actionGroups = empty(actionGroupId) ? [] : [actionGroupId]

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, appInsights.id, 'exportrail-operations')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'exportrail operations'
    category: 'workbook'
    sourceId: appInsights.id
    serializedData: replace(loadTextContent('operations/workbook.json'), '__APPLICATION_INSIGHTS_ID__', appInsights.id)
  }
}

resource failedJobs 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'exportrail-failed-jobs-${appInsights.name}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'exportrail: a bulk export job failed'
    description: 'A bulk job ended failed (its error_id is in the workbook\'s failures and in GET /api/v1/export-jobs/{id}).'
    severity: 2
    enabled: true
    scopes: [appInsights.id]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: loadTextContent('operations/failed-jobs.kql')
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    autoMitigate: true
    actions: { actionGroups: actionGroups }
  }
}

resource serverErrors 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'exportrail-5xx-rate-${appInsights.name}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'exportrail: 5xx rate above ${serverErrorPercentThreshold}%'
    description: 'More than ${serverErrorPercentThreshold}% of requests answered 5xx over 15 minutes (at least 20 requests).'
    severity: 1
    enabled: true
    scopes: [appInsights.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: loadTextContent('operations/server-error-rate.kql')
          metricMeasureColumn: 'server_error_percent'
          timeAggregation: 'Maximum'
          operator: 'GreaterThan'
          threshold: serverErrorPercentThreshold
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    autoMitigate: true
    actions: { actionGroups: actionGroups }
  }
}

// The health route answers 503 when Cosmos DB or Blob Storage is down (and nothing when the app
// is): probed every 5 minutes from five regions, it is the "a dependency is down" signal.
var probeLocations = ['us-va-ash-azr', 'us-ca-sjc-azr', 'emea-nl-ams-azr', 'emea-gb-db3-azr', 'apac-sg-sin-azr']

resource healthProbe 'Microsoft.Insights/webtests@2022-06-15' = {
  name: 'exportrail-health-${appInsights.name}'
  location: location
  // The portal lists a web test under the Application Insights resource this tag names.
  tags: union(tags, { 'hidden-link:${appInsights.id}': 'Resource' })
  kind: 'standard'
  properties: {
    SyntheticMonitorId: 'exportrail-health-${appInsights.name}'
    Name: 'exportrail health'
    Description: 'GET /api/v1/health: 200 when Cosmos DB and Blob Storage answer, 503 when either is down.'
    Enabled: true
    Frequency: 300
    Timeout: 30
    Kind: 'standard'
    RetryEnabled: true
    Locations: [for id in probeLocations: { Id: id }]
    Request: { RequestUrl: healthUrl, HttpVerb: 'GET', ParseDependentRequests: false }
    ValidationRules: { ExpectedHttpStatusCode: 200, SSLCheck: false }
  }
}

resource dependencyDown 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'exportrail-dependency-down-${appInsights.name}'
  location: 'global'
  tags: tags
  properties: {
    description: 'The health route failed from at least 2 of 5 regions: Cosmos DB or Blob Storage is down, or the app is.'
    severity: 1
    enabled: true
    scopes: [healthProbe.id, appInsights.id]
    evaluationFrequency: 'PT1M'
    windowSize: 'PT5M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.WebtestLocationAvailabilityCriteria'
      webTestId: healthProbe.id
      componentId: appInsights.id
      failedLocationCount: 2
    }
    autoMitigate: true
    actions: [for id in actionGroups: { actionGroupId: id }]
  }
}

output workbookId string = workbook.id
