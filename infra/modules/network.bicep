// The virtual network the Container Apps environment lives in. A workload-profiles environment needs a
// subnet of its own, delegated to Microsoft.App/environments (at least /27; /23 leaves room for the
// nodes of a dedicated profile and for the replicas' addresses, which come from this subnet).

@description('Azure region of the network.')
param location string

@description('Tags put on every resource.')
param tags object

@description('Name of the virtual network.')
param name string

@description('Address space of the virtual network, e.g. 10.40.0.0/16.')
param addressPrefix string

@description('Address range of the Container Apps infrastructure subnet, inside addressPrefix.')
param infrastructureSubnetPrefix string

resource vnet 'Microsoft.Network/virtualNetworks@2026-03-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [addressPrefix]
    }
    subnets: [
      {
        name: 'container-apps'
        properties: {
          addressPrefix: infrastructureSubnetPrefix
          delegations: [
            {
              name: 'Microsoft.App.environments'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
    ]
  }
}

@description('Resource id of the Container Apps infrastructure subnet.')
output infrastructureSubnetId string = vnet.properties.subnets[0].id
