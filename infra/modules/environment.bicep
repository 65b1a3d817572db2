// The Container Apps environment: VNet-integrated, with workload profiles, and with the managed
// OpenTelemetry agent, which sends the apps' traces and logs to Application Insights and sets
// OTEL_EXPORTER_OTLP_ENDPOINT in every app (OrleansMl turns its OTLP exporter on when that is set).
// Platform console and system logs go to Log Analytics through a diagnostic setting, so that no
// workspace shared key (listKeys) is needed.

@description('Azure region of the environment.')
param location string

@description('Tags put on every resource.')
param tags object

@description('Name of the Container Apps environment.')
param name string

@description('Resource id of the subnet delegated to Microsoft.App/environments.')
param infrastructureSubnetId string

@description('Resource id of the Log Analytics workspace that receives the platform logs.')
param workspaceId string

@description('Application Insights connection string for the managed OpenTelemetry agent.')
@secure()
param appInsightsConnectionString string

@description('Name of the dedicated workload profile the OrleansMl apps run on.')
param workloadProfileName string

@description('Dedicated workload profile type (D4, D8, E4, ...).')
param workloadProfileType string

@description('Fewest nodes of the dedicated workload profile.')
@minValue(0)
param workloadProfileMinimumCount int

@description('Most nodes of the dedicated workload profile.')
@minValue(1)
param workloadProfileMaximumCount int

@description('Whether the environment spreads over availability zones (the region must have them).')
param zoneRedundant bool

resource environment 'Microsoft.App/managedEnvironments@2026-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    vnetConfiguration: {
      infrastructureSubnetId: infrastructureSubnetId
      // External: the gateway app has a public HTTPS endpoint; the silo app has no external ingress.
      internal: false
    }
    zoneRedundant: zoneRedundant
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
      {
        name: workloadProfileName
        workloadProfileType: workloadProfileType
        minimumCount: workloadProfileMinimumCount
        maximumCount: workloadProfileMaximumCount
      }
    ]
    appLogsConfiguration: {
      destination: 'azure-monitor'
    }
    appInsightsConfiguration: {
      connectionString: appInsightsConnectionString
    }
    openTelemetryConfiguration: {
      tracesConfiguration: {
        destinations: ['appInsights']
      }
      logsConfiguration: {
        destinations: ['appInsights']
      }
    }
  }
}

// 2021-05-01-preview is the newest version of this type; the only non-preview one (2016-09-01) is the
// legacy "service" setting, which cannot target a workspace.
#disable-next-line use-recent-api-versions
resource platformLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'platform-logs'
  scope: environment
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        category: 'ContainerAppConsoleLogs'
        enabled: true
      }
      {
        category: 'ContainerAppSystemLogs'
        enabled: true
      }
    ]
  }
}

@description('Resource id of the environment.')
output id string = environment.id
