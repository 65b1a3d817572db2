// One OrleansMl process as a container app: the silo and the gateway run the same image in different
// roles and share everything below (identity, registry, storage, cluster id, cluster TLS certificate,
// volumes, probes); main.bicep passes what differs (ingress, scale rule, gateway-only settings).

@description('Azure region of the app.')
param location string

@description('Tags put on the app, including azd-service-name.')
param tags object

@description('Name of the container app (2-32 lowercase letters, digits and hyphens).')
@minLength(2)
@maxLength(32)
param name string

@description('OrleansMl role the process runs in (OrleansMl:Role).')
@allowed([
  'Silo'
  'Gateway'
])
param role string

@description('Resource id of the Container Apps environment.')
param environmentId string

@description('Workload profile of the environment the app runs on.')
param workloadProfileName string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity (AZURE_CLIENT_ID, which DefaultAzureCredential uses to choose it).')
param identityClientId string

@description('Login server of the registry the image is pulled from with the identity.')
param registryServer string

@description('Image the app runs.')
param image string

@description('Whether image is the placeholder that holds the app until the first OrleansMl image is deployed: the OrleansMl probes are then left out.')
param placeholder bool

@description('CPU cores per replica, as a string (e.g. \'1.0\').')
param cpu string

@description('Memory per replica (e.g. \'4Gi\').')
param memory string

@description('Fewest replicas.')
@minValue(1)
param minReplicas int

@description('Most replicas.')
@minValue(1)
param maxReplicas int

@description('Scale rules of the app.')
param scaleRules resourceInput<'Microsoft.App/containerApps@2026-07-01'>.properties.template.scale.rules

@description('Ingress of the app.')
param ingress resourceInput<'Microsoft.App/containerApps@2026-07-01'>.properties.configuration.ingress

@description('Seconds between SIGTERM and SIGKILL when a replica stops, so that a silo can leave the cluster cleanly.')
param terminationGracePeriodSeconds int

@description('Orleans cluster id (OrleansMl:ClusterId).')
param clusterId string

@description('Orleans service id (OrleansMl:ServiceId).')
param serviceId string

@description('Blob service endpoint of the storage account.')
param blobServiceUri string

@description('Table service endpoint of the storage account.')
param tableServiceUri string

@description('Blob container of the artifact store.')
param artifactContainerName string

@description('Blob container of the grain state.')
param grainStateContainerName string

@description('Table of the Orleans cluster membership.')
param clusteringTableName string

@description('Key Vault URI, ending in a slash.')
param keyVaultUri string

@description('Name of the Key Vault secret holding the cluster TLS certificate (PKCS#12, created by `az keyvault certificate import`).')
param clusterCertificateSecretName string

@description('Application Insights connection string the app exports its metrics to (the environment\'s OpenTelemetry agent carries traces and logs, not metrics).')
@secure()
param appInsightsConnectionString string

@description('SHA-256 thumbprints (64 hex digits) of other cluster certificates to accept while the certificate rotates (docs/operations.md).')
param acceptedCertificateThumbprints string[]

@description('Further Key Vault references of the app, each becoming an app secret that env can use as secretRef.')
param keyVaultReferences keyVaultReference[]

@description('Further environment variables of the app ({ name, value } or { name, secretRef }).')
param extraEnv resourceInput<'Microsoft.App/containerApps@2026-07-01'>.properties.template.containers[*].env

@description('A Key Vault secret the app reads through its identity.')
type keyVaultReference = {
  @description('Name of the app secret (what secretRef names).')
  name: string

  @description('Name of the secret in the Key Vault.')
  keyVaultSecretName: string
}

var httpPort = 8080
var tlsMountPath = '/mnt/cluster-tls'
var tlsFileName = 'cluster.pfx'

var secrets = concat(
  [
    {
      name: 'cluster-tls-pfx'
      keyVaultUrl: '${keyVaultUri}secrets/${clusterCertificateSecretName}'
      identity: identityId
    }
    {
      name: 'appinsights-connection-string'
      value: appInsightsConnectionString
    }
  ],
  map(keyVaultReferences, r => {
    name: r.name
    keyVaultUrl: '${keyVaultUri}secrets/${r.keyVaultSecretName}'
    identity: identityId
  })
)

var env = concat(
  [
    { name: 'OrleansMl__Role', value: role }
    { name: 'OrleansMl__ClusterId', value: clusterId }
    { name: 'OrleansMl__ServiceId', value: serviceId }
    { name: 'OrleansMl__Storage__Mode', value: 'AzureStorage' }
    { name: 'OrleansMl__Storage__BlobServiceUri', value: blobServiceUri }
    { name: 'OrleansMl__Storage__TableServiceUri', value: tableServiceUri }
    { name: 'OrleansMl__Storage__ArtifactContainer', value: artifactContainerName }
    { name: 'OrleansMl__Storage__GrainStateContainer', value: grainStateContainerName }
    { name: 'OrleansMl__Storage__ClusteringTable', value: clusteringTableName }
    { name: 'OrleansMl__Tls__CertificatePath', value: '${tlsMountPath}/${tlsFileName}' }
    // The image itself sets OrleansMl__DataDirectory=/data and listens on 8080 (ASPNETCORE_HTTP_PORTS) with JSON logs.
    { name: 'AZURE_CLIENT_ID', value: identityClientId }
    { name: 'OrleansMl__Metrics__AzureMonitor', secretRef: 'appinsights-connection-string' }
    // OrleansMl__AdvertisedIPAddress is deliberately not set: each silo replica advertises its own address.
  ],
  map(range(0, length(acceptedCertificateThumbprints)), i => {
    name: 'OrleansMl__Tls__AcceptedThumbprints__${i}'
    value: acceptedCertificateThumbprints[i]
  }),
  extraEnv
)

// Startup allows up to 5 min for the silo to join the cluster (Kestrel answers only after that);
// liveness asks only whether the process answers, never about storage or other silos, so that a
// storage outage cannot restart the whole cluster.
var probes = [
  {
    type: 'Startup'
    httpGet: { path: '/health/live', port: httpPort, scheme: 'HTTP' }
    initialDelaySeconds: 5
    periodSeconds: 5
    timeoutSeconds: 3
    failureThreshold: 60
  }
  {
    type: 'Liveness'
    httpGet: { path: '/health/live', port: httpPort, scheme: 'HTTP' }
    periodSeconds: 10
    timeoutSeconds: 3
    failureThreshold: 3
  }
  {
    type: 'Readiness'
    httpGet: { path: '/health/ready', port: httpPort, scheme: 'HTTP' }
    periodSeconds: 10
    timeoutSeconds: 5
    failureThreshold: 3
  }
]

resource app 'Microsoft.App/containerApps@2026-07-01' = {
  name: name
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    environmentId: environmentId
    workloadProfileName: workloadProfileName
    configuration: {
      activeRevisionsMode: 'Single'
      maxInactiveRevisions: 3
      ingress: ingress
      registries: [
        {
          server: registryServer
          identity: identityId
        }
      ]
      secrets: secrets
    }
    template: {
      terminationGracePeriodSeconds: terminationGracePeriodSeconds
      containers: [
        {
          name: toLower(role)
          image: image
          env: env
          resources: {
            cpu: json(cpu)
            memory: memory
          }
          probes: placeholder ? [] : probes
          // The image is meant to run with a read-only root file system: everything it writes goes to
          // /data and /tmp (EmptyDir: lost when the replica goes, which is fine as durable state lives
          // in storage).
          volumeMounts: [
            { volumeName: 'cluster-tls', mountPath: tlsMountPath }
            { volumeName: 'data', mountPath: '/data' }
            { volumeName: 'tmp', mountPath: '/tmp' }
          ]
        }
      ]
      volumes: [
        {
          name: 'cluster-tls'
          storageType: 'Secret'
          secrets: [
            { secretRef: 'cluster-tls-pfx', path: tlsFileName }
          ]
        }
        { name: 'data', storageType: 'EmptyDir' }
        { name: 'tmp', storageType: 'EmptyDir' }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
        rules: scaleRules
      }
    }
  }
}

@description('Host name of the app\'s ingress.')
output fqdn string = app.properties.configuration.ingress.fqdn
