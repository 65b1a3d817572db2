// The storage account OrleansMl keeps everything durable in: cluster membership (table), grain state
// and artifacts (blob). Entra ID only: shared keys are off, so no account key or connection string
// exists to leak; the apps' managed identity gets data roles (see roles.bicep).

@description('Azure region of the storage account.')
param location string

@description('Tags put on every resource.')
param tags object

@description('Name of the storage account (3-24 lowercase letters and digits, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Replication of the account, e.g. Standard_LRS (dev) or Standard_ZRS (prod).')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param skuName string

@description('Blob containers to create: the artifact store and the grain state store.')
param containerNames array

@description('Tables to create: Orleans cluster membership and reminders.')
param tableNames array

resource account 'Microsoft.Storage/storageAccounts@2026-09-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2026-09-01' = {
  parent: account
  name: 'default'
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2026-09-01' = [
  for containerName in containerNames: {
    parent: blobService
    name: containerName
    properties: {
      publicAccess: 'None'
    }
  }
]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2026-09-01' = {
  parent: account
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2026-09-01' = [
  for tableName in tableNames: {
    parent: tableService
    name: tableName
  }
]

@description('Name of the storage account.')
output name string = account.name

@description('Blob service endpoint (https://ACCOUNT.blob.core.windows.net/ in the public cloud).')
output blobEndpoint string = account.properties.primaryEndpoints.blob

@description('Table service endpoint (https://ACCOUNT.table.core.windows.net/ in the public cloud).')
output tableEndpoint string = account.properties.primaryEndpoints.table
