// Production: three silos at least, spread over zones, purge-protected vault, zone-redundant storage.
//   az deployment group create -g RG -f infra/main.bicep -p infra/main.prod.bicepparam
// ORLEANSML_IMAGE_TAG, ORLEANSML_OPERATOR_PRINCIPAL_ID and ORLEANSML_DEPLOY_APPS as in main.dev.bicepparam.
using 'main.bicep'

param environmentName = 'prod'
param operatorPrincipalId = readEnvironmentVariable('ORLEANSML_OPERATOR_PRINCIPAL_ID', '')
param deployApps = readEnvironmentVariable('ORLEANSML_DEPLOY_APPS', 'true') == 'true'
param imageTag = readEnvironmentVariable('ORLEANSML_IMAGE_TAG', '')

param workloadProfileType = 'D4'
param workloadProfileMinimumCount = 3
param workloadProfileMaximumCount = 6
param zoneRedundant = true
param logRetentionInDays = 90

param clusterId = 'orleansml-prod'
param serviceId = 'orleansml'

param siloMinReplicas = 3
param siloMaxReplicas = 8
param siloCpu = '2.0'
param siloMemory = '8Gi'

param gatewayMinReplicas = 2
param gatewayMaxReplicas = 4
param gatewayCpu = '1.0'
param gatewayMemory = '2Gi'

param keyVaultSoftDeleteRetentionInDays = 90
param keyVaultPurgeProtection = true
param storageSku = 'Standard_ZRS'
param registrySku = 'Standard'
