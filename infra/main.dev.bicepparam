// Development: small replicas on one dedicated node, nothing zone redundant, a vault that can be purged.
//   az deployment group create -g RG -f infra/main.bicep -p infra/main.dev.bicepparam
// The image tag, the operator and the two-step first deployment come from the environment:
//   ORLEANSML_IMAGE_TAG=1.4.0 ORLEANSML_OPERATOR_PRINCIPAL_ID=$(az ad signed-in-user show --query id -o tsv) ...
using 'main.bicep'

param environmentName = 'dev'
param operatorPrincipalId = readEnvironmentVariable('ORLEANSML_OPERATOR_PRINCIPAL_ID', '')
param deployApps = readEnvironmentVariable('ORLEANSML_DEPLOY_APPS', 'true') == 'true'
param imageTag = readEnvironmentVariable('ORLEANSML_IMAGE_TAG', '')

param workloadProfileType = 'D4'
param workloadProfileMinimumCount = 1
param workloadProfileMaximumCount = 2
param zoneRedundant = false
param logRetentionInDays = 30

param clusterId = 'orleansml-dev'
param serviceId = 'orleansml'

param siloMinReplicas = 2
param siloMaxReplicas = 3
param siloCpu = '1.0'
param siloMemory = '4Gi'

param gatewayMinReplicas = 1
param gatewayMaxReplicas = 2
param gatewayCpu = '0.5'
param gatewayMemory = '1Gi'

param keyVaultSoftDeleteRetentionInDays = 7
param keyVaultPurgeProtection = false
param storageSku = 'Standard_LRS'
param registrySku = 'Basic'
