// The Key Vault holding what the apps must not carry in their configuration: the gateway's API key
// hashes and the cluster TLS certificate. Both are put there by an operator (infra/README.md), never
// by this template; the apps read them through Key Vault references with the managed identity.

@description('Azure region of the vault.')
param location string

@description('Tags put on every resource.')
param tags object

@description('Name of the vault (3-24 letters, digits and hyphens, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Days a deleted vault or secret can be recovered (7-90).')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int

@description('Whether purge protection is on: deleted secrets cannot be purged before the retention ends. It cannot be turned off again (use it in prod).')
param enablePurgeProtection bool

resource vault 'Microsoft.KeyVault/vaults@2026-05-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    // Key Vault refuses `false` once purge protection was on, so "off" is expressed by leaving it out.
    enablePurgeProtection: enablePurgeProtection ? true : null
    enabledForDeployment: false
    enabledForTemplateDeployment: false
    enabledForDiskEncryption: false
    publicNetworkAccess: 'Enabled'
  }
}

@description('Name of the vault.')
output name string = vault.name

@description('Vault URI, ending in a slash (https://NAME.vault.azure.net/ in the public cloud).')
output uri string = vault.properties.vaultUri
