// The parameters `azd provision` / `azd up` use (azd reads infra/main.bicepparam and sets the
// variables below from its environment). Sizes are main.bicep's defaults; for the dev or prod sizing
// deploy with main.dev.bicepparam or main.prod.bicepparam instead (infra/README.md).
using 'main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'dev')
param operatorPrincipalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')
param deployApps = readEnvironmentVariable('ORLEANSML_DEPLOY_APPS', 'true') == 'true'
// Set by `azd deploy`; passing them back keeps the deployed images when azd provisions again.
param siloImage = readEnvironmentVariable('SERVICE_SILO_IMAGE_NAME', '')
param gatewayImage = readEnvironmentVariable('SERVICE_GATEWAY_IMAGE_NAME', '')
