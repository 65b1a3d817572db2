// Log Analytics (platform logs of the Container Apps environment) and a workspace-based Application
// Insights, which receives the apps' traces and logs from the environment's managed OpenTelemetry agent.

@description('Azure region of the workspace and the Application Insights component.')
param location string

@description('Tags put on every resource.')
param tags object

@description('Name of the Log Analytics workspace.')
param workspaceName string

@description('Name of the Application Insights component.')
param appInsightsName string

@description('Days Log Analytics keeps data.')
@minValue(30)
@maxValue(730)
param retentionInDays int

resource workspace 'Microsoft.OperationalInsights/workspaces@2026-03-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    retentionInDays: retentionInDays
    sku: {
      name: 'PerGB2018'
    }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
  }
}

@description('Resource id of the Log Analytics workspace.')
output workspaceId string = workspace.id

// The connection string holds the instrumentation key: it leaves this module as a secure value only.
@description('Application Insights connection string, for the environment\'s OpenTelemetry agent.')
@secure()
output appInsightsConnectionString string = appInsights.properties.ConnectionString
