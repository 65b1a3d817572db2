// OrleansMl on Azure Container Apps: a silo app (internal, several replicas forming one Orleans cluster)
// and a gateway app (public HTTPS, an Orleans client), both running the one OrleansMl image, plus what
// they need: VNet, Log Analytics + Application Insights, storage, Key Vault, registry and a managed
// identity. Deploy with `azd up` or `az deployment group create` (infra/README.md).
targetScope = 'resourceGroup'

// ---- Environment ----

@description('Name of the environment (dev, prod, or the azd environment name): tagged on every resource as azd-env-name and part of the resource names\' hash.')
@minLength(1)
@maxLength(64)
param environmentName string

@description('Azure region of every resource; defaults to the resource group\'s.')
param location string = resourceGroup().location

@description('Object id of the operator who creates the Key Vault secrets and pushes images (azd passes AZURE_PRINCIPAL_ID); empty: grant them yourself.')
param operatorPrincipalId string = ''

@description('Whether to deploy the two container apps. Deploy once with false, create the Key Vault secrets (infra/README.md), then deploy with true: a Key Vault reference to a missing secret fails the app.')
param deployApps bool = true

// ---- Network ----

@description('Address space of the virtual network.')
param vnetAddressPrefix string = '10.40.0.0/16'

@description('Address range of the Container Apps subnet (at least /27; the replicas\' addresses come from it).')
param infrastructureSubnetPrefix string = '10.40.0.0/23'

// ---- Environment capacity ----

@description('Dedicated workload profile type the apps run on (D4: 4 cores, 16 GiB per node). Dedicated rather than Consumption: see the Orleans networking notes in infra/README.md.')
param workloadProfileType string = 'D4'

@description('Fewest nodes of the dedicated workload profile.')
@minValue(0)
param workloadProfileMinimumCount int = 1

@description('Most nodes of the dedicated workload profile.')
@minValue(1)
param workloadProfileMaximumCount int = 3

@description('Whether the Container Apps environment is zone redundant (the region must have availability zones).')
param zoneRedundant bool = false

@description('Days Log Analytics keeps data (Application Insights is workspace-based and keeps what the workspace keeps).')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

// ---- Orleans ----

@description('Orleans cluster id (OrleansMl:ClusterId): silos and the gateway with the same id form one cluster.')
param clusterId string = 'orleansml'

@description('Orleans service id (OrleansMl:ServiceId): keys durable state; keep it across deployments.')
param serviceId string = 'orleansml'

// ---- Image ----

@description('Tag of the orleansml repository in the created registry that both apps run (the same image serves both roles); empty: the apps run a placeholder until an image is deployed (azd deploy does that).')
param imageTag string = ''

@description('Full image reference for the silo app, overriding imageTag (azd passes SERVICE_SILO_IMAGE_NAME so that a re-provision keeps the deployed image).')
param siloImage string = ''

@description('Full image reference for the gateway app, overriding imageTag (azd passes SERVICE_GATEWAY_IMAGE_NAME).')
param gatewayImage string = ''

// ---- Silo app ----

@description('Fewest silo replicas; never below 1 (an Orleans cluster must not scale to zero).')
@minValue(1)
param siloMinReplicas int = 2

@description('Most silo replicas.')
@minValue(1)
param siloMaxReplicas int = 6

@description('Average CPU utilization (percent of the requested cores) above which another silo replica is added.')
@minValue(10)
@maxValue(95)
param siloScaleCpuPercent int = 70

@description('CPU cores per silo replica, as a string.')
param siloCpu string = '2.0'

@description('Memory per silo replica.')
param siloMemory string = '8Gi'

// ---- Gateway app ----

@description('Fewest gateway replicas.')
@minValue(1)
param gatewayMinReplicas int = 1

@description('Most gateway replicas.')
@minValue(1)
param gatewayMaxReplicas int = 4

@description('Concurrent HTTP requests per gateway replica above which another replica is added.')
@minValue(1)
param gatewayConcurrentRequests int = 100

@description('CPU cores per gateway replica, as a string.')
param gatewayCpu string = '1.0'

@description('Memory per gateway replica.')
param gatewayMemory string = '2Gi'

// ---- Key Vault ----

@description('Name of the Key Vault secret holding the SHA-256 (64 hex digits) of the gateway\'s admin API key; created by an operator.')
param adminApiKeyHashSecretName string = 'gateway-admin-api-key-sha256'

@description('Name of the Key Vault certificate (and so secret) holding the cluster TLS certificate as PKCS#12; created by an operator with az keyvault certificate import.')
param clusterCertificateSecretName string = 'orleansml-cluster-tls'

@description('SHA-256 thumbprints of other cluster certificates every process accepts besides the current one: set during a rotation without downtime (docs/operations.md), empty otherwise.')
param acceptedCertificateThumbprints string[] = []

@description('Days a deleted Key Vault or secret can be recovered (7-90).')
@minValue(7)
@maxValue(90)
param keyVaultSoftDeleteRetentionInDays int = 7

@description('Whether Key Vault purge protection is on (cannot be turned off again; use it in prod).')
param keyVaultPurgeProtection bool = false

// ---- Storage and registry ----

@description('Replication of the storage account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSku string = 'Standard_LRS'

@description('Tier of the container registry.')
@allowed([
  'Basic'
  'Standard'
  'Premium'
])
param registrySku string = 'Basic'

var tags = {
  'azd-env-name': environmentName
}
var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var workloadProfileName = 'orleansml'
var artifactContainerName = 'orleansml-artifacts'
var grainStateContainerName = 'orleansml-grainstate'
var clusteringTableName = 'OrleansMlSilos'
// The platform's default OrleansMl:Storage:RemindersTable (what wakes an experiment whose silo stopped).
var remindersTableName = 'OrleansMlReminders'
var imageRepository = 'orleansml'
// An ASP.NET Core sample that listens on 8080 like OrleansMl, so the first revision (before any
// OrleansMl image is in the registry) comes up healthy.
var placeholderImage = 'mcr.microsoft.com/dotnet/samples:aspnetapp'
var names = {
  storage: 'st${resourceToken}'
  keyVault: 'kv-${resourceToken}'
  registry: 'cr${resourceToken}'
}

module network 'modules/network.bicep' = {
  name: 'network'
  params: {
    location: location
    tags: tags
    name: 'vnet-${resourceToken}'
    addressPrefix: vnetAddressPrefix
    infrastructureSubnetPrefix: infrastructureSubnetPrefix
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    tags: tags
    workspaceName: 'log-${resourceToken}'
    appInsightsName: 'appi-${resourceToken}'
    retentionInDays: logRetentionInDays
  }
}

module environment 'modules/environment.bicep' = {
  name: 'environment'
  params: {
    location: location
    tags: tags
    name: 'cae-${resourceToken}'
    infrastructureSubnetId: network.outputs.infrastructureSubnetId
    workspaceId: monitoring.outputs.workspaceId
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    workloadProfileName: workloadProfileName
    workloadProfileType: workloadProfileType
    workloadProfileMinimumCount: workloadProfileMinimumCount
    workloadProfileMaximumCount: workloadProfileMaximumCount
    zoneRedundant: zoneRedundant
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    tags: tags
    name: names.storage
    skuName: storageSku
    containerNames: [
      artifactContainerName
      grainStateContainerName
    ]
    tableNames: [
      clusteringTableName
      remindersTableName
    ]
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    tags: tags
    name: names.keyVault
    softDeleteRetentionInDays: keyVaultSoftDeleteRetentionInDays
    enablePurgeProtection: keyVaultPurgeProtection
  }
}

module registry 'modules/registry.bicep' = {
  name: 'registry'
  params: {
    location: location
    tags: tags
    name: names.registry
    skuName: registrySku
  }
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  // The role assignments inside name the three resources by name only.
  dependsOn: [
    storage
    keyVault
    registry
  ]
  params: {
    location: location
    tags: tags
    name: 'id-${resourceToken}'
    operatorPrincipalId: operatorPrincipalId
    storageAccountName: names.storage
    keyVaultName: names.keyVault
    registryName: names.registry
  }
}

var taggedImage = empty(imageTag) ? '' : '${registry.outputs.loginServer}/${imageRepository}:${imageTag}'
var defaultImage = empty(taggedImage) ? placeholderImage : taggedImage
var resolvedSiloImage = empty(siloImage) ? defaultImage : siloImage
var resolvedGatewayImage = empty(gatewayImage) ? defaultImage : gatewayImage

// Both apps use the identity module's outputs, so they start only after it, role assignments included:
// a first revision whose image pull or Key Vault reference is refused fails to provision.
module silo 'modules/orleansml-app.bicep' = if (deployApps) {
  name: 'silo'
  params: {
    location: location
    tags: union(tags, { 'azd-service-name': 'silo' })
    name: 'silo-${resourceToken}'
    role: 'Silo'
    environmentId: environment.outputs.id
    workloadProfileName: workloadProfileName
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    registryServer: registry.outputs.loginServer
    image: resolvedSiloImage
    placeholder: resolvedSiloImage == placeholderImage
    cpu: siloCpu
    memory: siloMemory
    minReplicas: siloMinReplicas
    maxReplicas: siloMaxReplicas
    // CPU, not HTTP concurrency: requests reach silos as Orleans grain calls on port 30000/11111, not
    // through the app's HTTP ingress, so an HTTP or TCP ingress metric would never see the load. The
    // silo's work (training, scoring, SQL) is CPU-bound, so utilization is the honest signal.
    scaleRules: [
      {
        name: 'cpu-utilization'
        custom: {
          type: 'cpu'
          metadata: {
            type: 'Utilization'
            value: string(siloScaleCpuPercent)
          }
        }
      }
    ]
    // Internal only. HTTP 8080 serves the health endpoints; 11111 (silo-to-silo) and 30000 (gateway)
    // are declared for completeness, but Orleans never goes through this ingress: every silo advertises
    // its own replica address in the membership table, and peers and the gateway dial that directly.
    ingress: {
      external: false
      targetPort: 8080
      transport: 'http'
      allowInsecure: false
      additionalPortMappings: [
        {
          external: false
          targetPort: 11111
          exposedPort: 11111
        }
        {
          external: false
          targetPort: 30000
          exposedPort: 30000
        }
      ]
    }
    terminationGracePeriodSeconds: 60
    clusterId: clusterId
    serviceId: serviceId
    blobServiceUri: storage.outputs.blobEndpoint
    tableServiceUri: storage.outputs.tableEndpoint
    artifactContainerName: artifactContainerName
    grainStateContainerName: grainStateContainerName
    clusteringTableName: clusteringTableName
    keyVaultUri: keyVault.outputs.uri
    clusterCertificateSecretName: clusterCertificateSecretName
    acceptedCertificateThumbprints: acceptedCertificateThumbprints
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    keyVaultReferences: []
    extraEnv: []
  }
}

module gateway 'modules/orleansml-app.bicep' = if (deployApps) {
  name: 'gateway'
  params: {
    location: location
    tags: union(tags, { 'azd-service-name': 'gateway' })
    name: 'gateway-${resourceToken}'
    role: 'Gateway'
    environmentId: environment.outputs.id
    workloadProfileName: workloadProfileName
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    registryServer: registry.outputs.loginServer
    image: resolvedGatewayImage
    placeholder: resolvedGatewayImage == placeholderImage
    cpu: gatewayCpu
    memory: gatewayMemory
    minReplicas: gatewayMinReplicas
    maxReplicas: gatewayMaxReplicas
    scaleRules: [
      {
        name: 'http-concurrency'
        http: {
          metadata: {
            concurrentRequests: string(gatewayConcurrentRequests)
          }
        }
      }
    ]
    ingress: {
      external: true
      targetPort: 8080
      transport: 'http'
      allowInsecure: false
    }
    terminationGracePeriodSeconds: 30
    clusterId: clusterId
    serviceId: serviceId
    blobServiceUri: storage.outputs.blobEndpoint
    tableServiceUri: storage.outputs.tableEndpoint
    artifactContainerName: artifactContainerName
    grainStateContainerName: grainStateContainerName
    clusteringTableName: clusteringTableName
    keyVaultUri: keyVault.outputs.uri
    clusterCertificateSecretName: clusterCertificateSecretName
    acceptedCertificateThumbprints: acceptedCertificateThumbprints
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    keyVaultReferences: [
      {
        name: 'admin-api-key-sha256'
        keyVaultSecretName: adminApiKeyHashSecretName
      }
    ]
    extraEnv: [
      { name: 'OrleansMl__Gateway__Authentication__ApiKeys__0__Name', value: 'admin' }
      { name: 'OrleansMl__Gateway__Authentication__ApiKeys__0__Role', value: 'Admin' }
      { name: 'OrleansMl__Gateway__Authentication__ApiKeys__0__Sha256', secretRef: 'admin-api-key-sha256' }
      // TLS ends at the Container Apps ingress; the app sees the original scheme and client address.
      { name: 'ASPNETCORE_FORWARDEDHEADERS_ENABLED', value: 'true' }
    ]
  }
}

@description('The gateway\'s public URL (empty while deployApps is false).')
output GATEWAY_URL string = deployApps ? 'https://${gateway!.outputs.fqdn}' : ''

@description('Login server of the container registry; azd pushes images there.')
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.outputs.loginServer

@description('Client id of the apps\' managed identity.')
output ORLEANSML_IDENTITY_CLIENT_ID string = identity.outputs.clientId

@description('Name of the storage account.')
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name

@description('Name of the Key Vault the operator puts the API key hash and the cluster certificate in.')
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
