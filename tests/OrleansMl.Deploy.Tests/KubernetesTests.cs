using System.Text.RegularExpressions;
using OrleansMl.Testing;
using YamlDotNet.RepresentationModel;

namespace OrleansMl.Deploy.Tests;

/// <summary>
/// infra/k8s as a reviewer reads it: pods that run as the image's non-root user on a read-only root file system with the
/// three probes, the silos labelled for Orleans' Kubernetes hosting with the same ids they are configured with, the
/// hosting's RBAC and no more, no secret value in a manifest, HTTPS only at the ingress, every placeholder documented.
/// The overlays are also built with kustomize where kubectl is installed (not every CI machine has it).
/// </summary>
public sealed partial class KubernetesTests
{
    private static readonly string Root = Path.Combine(RepoPaths.Root, "infra", "k8s");

    [Fact]
    public void Every_pod_runs_non_root_on_a_read_only_root_with_probes_and_its_own_identity()
    {
        var deployments = Documents().Where(d => Kind(d) == "Deployment").ToList();
        Assert.Equal(["orleansml-gateway", "orleansml-silo"], deployments.Select(Name).Order(StringComparer.Ordinal));
        foreach (var deployment in deployments)
        {
            var pod = Map(deployment, "spec", "template", "spec");
            Assert.Equal("orleansml", Scalar(pod, "serviceAccountName"));
            Assert.Equal("true", Scalar(Map(deployment, "spec", "template", "metadata", "labels"), "azure.workload.identity/use"));
            Assert.Equal("true", Scalar(Map(pod, "securityContext"), "runAsNonRoot"));
            Assert.Equal("1654", Scalar(Map(pod, "securityContext"), "runAsUser")); // the image's $APP_UID
            var container = Assert.IsType<YamlMappingNode>(Assert.Single(Sequence(pod, "containers")));
            var security = Map(container, "securityContext");
            Assert.Equal("true", Scalar(security, "readOnlyRootFilesystem"));
            Assert.Equal("false", Scalar(security, "allowPrivilegeEscalation"));
            Assert.Equal(["ALL"], Sequence(security, "capabilities", "drop").Select(n => n.ToString()));
            Assert.Equal("/health/live", Scalar(Map(container, "startupProbe", "httpGet"), "path"));
            Assert.Equal("/health/live", Scalar(Map(container, "livenessProbe", "httpGet"), "path"));
            Assert.Equal("/health/ready", Scalar(Map(container, "readinessProbe", "httpGet"), "path"));
            // Writable: the data directory and /tmp only, each an emptyDir.
            var mounts = Sequence(container, "volumeMounts").Cast<YamlMappingNode>().ToDictionary(m => Scalar(m, "mountPath"), m => Scalar(m, "name"));
            var volumes = Sequence(pod, "volumes").Cast<YamlMappingNode>().ToDictionary(v => Scalar(v, "name"));
            Assert.Contains("emptyDir", volumes[mounts["/data"]].Children.Keys.Select(k => k.ToString()));
            Assert.Contains("emptyDir", volumes[mounts["/tmp"]].Children.Keys.Select(k => k.ToString()));
            Assert.NotNull(Map(container, "resources", "limits").Children.Keys.SingleOrDefault(k => k.ToString() == "memory"));
        }
    }

    [Fact]
    public void The_silos_are_labelled_and_configured_for_Orleans_Kubernetes_hosting()
    {
        var silo = Documents().Single(d => Kind(d) == "Deployment" && Name(d) == "orleansml-silo");
        var labels = Map(silo, "spec", "template", "metadata", "labels");
        var config = SharedConfiguration();
        Assert.Equal(config["OrleansMl__ServiceId"], Scalar(labels, "orleans/serviceId"));
        Assert.Equal(config["OrleansMl__ClusterId"], Scalar(labels, "orleans/clusterId"));
        Assert.Equal("AzureStorage", config["OrleansMl__Storage__Mode"]);

        var container = (YamlMappingNode)Sequence(Map(silo, "spec", "template", "spec"), "containers")[0];
        var env = Sequence(container, "env").Cast<YamlMappingNode>().ToDictionary(e => Scalar(e, "name"));
        Assert.Equal("true", Scalar(env["OrleansMl__Kubernetes"], "value"));
        Assert.Equal("Silo", Scalar(env["OrleansMl__Role"], "value"));
        Assert.Equal("metadata.name", Scalar(Map(env["POD_NAME"], "valueFrom", "fieldRef"), "fieldPath"));
        Assert.Equal("metadata.namespace", Scalar(Map(env["POD_NAMESPACE"], "valueFrom", "fieldRef"), "fieldPath"));
        Assert.Equal("status.podIP", Scalar(Map(env["POD_IP"], "valueFrom", "fieldRef"), "fieldPath"));
        Assert.Equal("$(POD_IP)", Scalar(env["OrleansMl__AdvertisedIPAddress"], "value"));
        // Enough time after SIGTERM to leave the cluster and hand the grains over.
        Assert.True(int.Parse(Scalar(Map(silo, "spec", "template", "spec"), "terminationGracePeriodSeconds"), System.Globalization.CultureInfo.InvariantCulture) >= 30);

        // The hosting reads, watches and labels pods: that and nothing else.
        var role = Documents().Single(d => Kind(d) == "Role");
        var rule = (YamlMappingNode)Assert.Single(Sequence(role, "rules"));
        Assert.Equal(["pods"], Sequence(rule, "resources").Select(n => n.ToString()));
        Assert.Equal(["get", "list", "patch", "watch"], Sequence(rule, "verbs").Select(n => n.ToString()).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(Documents(), d => Kind(d) is "ClusterRole" or "ClusterRoleBinding");
    }

    [Fact]
    public void No_manifest_holds_a_secret_and_the_ingress_is_HTTPS_only()
    {
        foreach (var file in Files())
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain("AccountKey", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("ConnectionString", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("kind: Secret\n", text, StringComparison.Ordinal);
        }

        // The admin key's hash comes from Key Vault (synced by the CSI driver), never a literal.
        var gateway = Documents().Single(d => Kind(d) == "Deployment" && Name(d) == "orleansml-gateway");
        var env = Sequence((YamlMappingNode)Sequence(Map(gateway, "spec", "template", "spec"), "containers")[0], "env").Cast<YamlMappingNode>();
        Assert.All(env.Where(e => Scalar(e, "name").EndsWith("Sha256", StringComparison.Ordinal)),
            e => Assert.Equal("orleansml-keys", Scalar(Map(e, "valueFrom", "secretKeyRef"), "name")));

        var ingress = Documents().Single(d => Kind(d) == "Ingress");
        Assert.NotEmpty(Sequence(ingress, "spec", "tls"));
        Assert.Equal("true", Scalar(Map(ingress, "metadata", "annotations"), "nginx.ingress.kubernetes.io/force-ssl-redirect"));
        Assert.DoesNotContain(Documents(), d => Kind(d) == "Service" && Scalar(Map(d, "spec"), "type", "ClusterIP") != "ClusterIP");
    }

    [Fact]
    public void Every_placeholder_is_documented_in_the_deploy_guide()
    {
        var guide = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "deploy.md"));
        var placeholders = Files().SelectMany(f => Placeholder().Matches(File.ReadAllText(f)).Select(m => m.Value))
            .Except(["POD_NAME", "POD_NAMESPACE", "POD_IP", "ASPNETCORE_FORWARDEDHEADERS_ENABLED"]).Distinct().ToList();
        Assert.NotEmpty(placeholders);
        Assert.All(placeholders, p => Assert.Contains($"`{p}`", guide, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Both_overlays_build_with_kustomize_where_kubectl_is_installed()
    {
        Shell.Result version;
        try
        {
            version = await Shell.RunAsync("kubectl", ["version", "--client"]);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return; // no kubectl on this machine: the other tests read the manifests themselves
        }

        if (version.ExitCode != 0 || !Regex.IsMatch(version.Output, @"Kustomize Version: v[5-9]"))
        {
            return; // Debian's kubectl 1.20 carries kustomize 2, which predates these fields
        }

        foreach (var overlay in new[] { "dev", "prod" })
        {
            var built = await Shell.RunAsync("kubectl", ["kustomize", Path.Combine(Root, "overlays", overlay)]);
            Assert.True(built.ExitCode == 0, built.Output);
            Assert.Contains($"namespace: orleansml{(overlay == "dev" ? "-dev" : "")}\n", built.Output, StringComparison.Ordinal);
            Assert.Contains("name: orleansml-config-", built.Output, StringComparison.Ordinal); // the generated map, referenced by its hashed name
            Assert.DoesNotContain("name: orleansml-config\n", built.Output, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")]
    private static partial Regex Placeholder();

    private static IEnumerable<string> Files() => Directory.EnumerateFiles(Root, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    /// <summary>Every manifest of base/ and the overlays (not the kustomization files).</summary>
    private static List<YamlMappingNode> Documents()
    {
        var documents = new List<YamlMappingNode>();
        foreach (var file in Files().Where(f => Path.GetFileName(f) != "kustomization.yaml"))
        {
            var stream = new YamlStream();
            using var reader = new StreamReader(file);
            stream.Load(reader);
            documents.AddRange(stream.Documents.Select(d => (YamlMappingNode)d.RootNode));
        }

        return documents;
    }

    /// <summary>The base's generated config map, the settings every process reads.</summary>
    private static Dictionary<string, string> SharedConfiguration()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Root, "base", "kustomization.yaml")))
        {
            stream.Load(reader);
        }

        var generator = (YamlMappingNode)Sequence((YamlMappingNode)stream.Documents[0].RootNode, "configMapGenerator")
            .Single(g => Scalar((YamlMappingNode)g, "name") == "orleansml-config");
        return Sequence(generator, "literals").Select(l => l.ToString().Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
    }

    private static string Kind(YamlMappingNode document) => Scalar(document, "kind");

    private static string Name(YamlMappingNode document) => Scalar(Map(document, "metadata"), "name");

    private static YamlMappingNode Map(YamlMappingNode node, params string[] path) =>
        path.Aggregate(node, (n, key) => (YamlMappingNode)n.Children[new YamlScalarNode(key)]);

    private static YamlSequenceNode Sequence(YamlMappingNode node, params string[] path) =>
        (YamlSequenceNode)Map(node, path[..^1]).Children[new YamlScalarNode(path[^1])];

    private static string Scalar(YamlMappingNode node, string key, string? absent = null) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value!
        : absent ?? throw new KeyNotFoundException($"no '{key}' in {node}");
}
