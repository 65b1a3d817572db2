// The container registry the apps pull the OrleansMl image from, with the managed identity (AcrPull);
// no admin user, no anonymous pull.

@description('Azure region of the registry.')
param location string

@description('Tags put on every resource.')
param tags object

@description('Name of the registry (5-50 letters and digits, globally unique).')
@minLength(5)
@maxLength(50)
param name string

@description('Registry tier.')
@allowed([
  'Basic'
  'Standard'
  'Premium'
])
param skuName string

resource registry 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
  }
  properties: {
    adminUserEnabled: false
    anonymousPullEnabled: false
    publicNetworkAccess: 'Enabled'
  }
}

@description('Name of the registry.')
output name string = registry.name

@description('Login server, e.g. NAME.azurecr.io.')
output loginServer string = registry.properties.loginServer
