// Cosmos DB for NoSQL, serverless, Entra-only; the containers the app expects (SPEC §1), all partitioned
// by /owner_email. Created here because an Entra data-plane identity cannot create containers itself.
param name string
param location string = resourceGroup().location
param tags object = {}
param databaseName string = 'exportrail'

var partitionKey = { paths: ['/owner_email'], kind: 'Hash', version: 2 }

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: name
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [{ locationName: location, failoverPriority: 0, isZoneRedundant: false }]
    consistencyPolicy: { defaultConsistencyLevel: 'Session' }
    capabilities: [{ name: 'EnableServerless' }]
    disableLocalAuth: true // no account keys: Entra tokens with the data-plane role only
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: { id: databaseName }
  }
}

// Serverless: no throughput options on the containers. Default indexing (everything) for these three.
resource containers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = [
  for containerName in ['documents', 'export_jobs', 'export_schedules']: {
    parent: database
    name: containerName
    properties: {
      resource: { id: containerName, partitionKey: partitionKey }
    }
  }
]

// One header and three stage items per workflow. They expire with the 30-day promise, and the stage
// payloads are large and never filtered on, so only the paths the app queries and sorts by are indexed.
resource exportTracking 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = {
  parent: database
  name: 'export_tracking'
  properties: {
    resource: {
      id: 'export_tracking'
      partitionKey: partitionKey
      defaultTtl: 2592000 // 30 days
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        // Same policy as shared/adapters/cosmos.ts: the queried paths, everything else but the
        // bulky stage payloads (never queried; cheaper writes for large documents).
        includedPaths: [
          { path: '/owner_email/?' }
          { path: '/document_id/?' }
          { path: '/export_workflow_id/?' }
          { path: '/type/?' }
          { path: '/stage/?' }
          { path: '/status/?' }
          { path: '/timestamp/?' }
          { path: '/*' }
        ]
        excludedPaths: [
          { path: '/original_extracted_data/*' }
          { path: '/original_data/*' }
          { path: '/modified_data/*' }
          { path: '/ai_summary/*' }
          { path: '/final_ai_summary/*' }
          { path: '/changes/*' }
          { path: '/"_etag"/?' }
        ]
        compositeIndexes: [
          [
            { path: '/owner_email', order: 'ascending' }
            { path: '/timestamp', order: 'descending' }
          ]
        ]
      }
    }
  }
}

output name string = account.name
output endpoint string = account.properties.documentEndpoint
