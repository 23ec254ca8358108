using DurableBridge;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Extensions.DurableTask;
using Microsoft.Azure.WebJobs.Host.Config;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newtonsoft.Json;

// The engine bridge (docs/ARCHITECTURE.md, "Engine bridge"): the WebJobs SDK host with
// Microsoft's Durable extension and its Azure Storage provider, hosting the app's orchestrations
// and activities as out-of-process functions whose bodies run in the Node host.
// stdout carries one line, the ready line with the client binding; logs go to stderr.
try
{
    BridgeSettings settings = BridgeSettings.FromEnvironment();
    Manifest manifest = Manifest.Load(settings.ManifestPath);
    NodeWorker.Configure(settings.WorkerUrl);
    Type appFunctions = FunctionEmitter.Emit(manifest);

    // The extension picks the JavaScript protocol (orchestrator shim + local HTTP listener) from this.
    Environment.SetEnvironmentVariable("FUNCTIONS_WORKER_RUNTIME", "node");

    IHost host = new HostBuilder()
        .ConfigureAppConfiguration(config =>
        {
            config.AddEnvironmentVariables();
            // host.json's "extensions" section, where the Functions host puts it for the extension.
            config.AddInMemoryCollection(HostJsonSettings(settings.HostJsonPath));
        })
        .ConfigureLogging(logging =>
        {
            logging.ClearProviders();
            logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            // BRIDGE_LOG_LEVEL (e.g. Information) shows the extension's own tracing when diagnosing.
            logging.SetMinimumLevel(Enum.TryParse(Environment.GetEnvironmentVariable("BRIDGE_LOG_LEVEL"), out LogLevel level) ? level : LogLevel.Warning);
            logging.AddFilter("DurableBridge", LogLevel.Information);
        })
        .ConfigureWebJobs(webJobs =>
        {
            webJobs.AddDurableTask(options => options.HubName = settings.TaskHub);
        })
        .ConfigureServices(services =>
        {
            services.AddSingleton<ITypeLocator>(new FixedTypeLocator(appFunctions, typeof(ClientBindingProbe)));
#pragma warning disable CS0618 // the extension needs one, as the Functions host provides
            services.AddSingleton<IWebHookProvider>(new NodeHostWebHookProvider(settings.WebhookUrl));
#pragma warning restore CS0618
            WrapStorageProvider(services, settings);
        })
        .UseConsoleLifetime(o => o.SuppressStatusMessages = true)
        .Build();

    // The Node host owns the bridge: when it goes (even by kill -9), stdin closes and so do we.
    _ = Task.Run(() =>
    {
        while (Console.In.ReadLine() != null)
        {
        }

        Environment.Exit(0);
    });

    await host.StartAsync();
    await host.Services.GetRequiredService<IJobHost>().CallAsync(ClientBindingProbe.FunctionName);
    DurableTaskOptions options = host.Services.GetRequiredService<IOptions<DurableTaskOptions>>().Value;
    DurabilityProvider provider = host.Services.GetServices<IDurabilityProviderFactory>().First().GetDurabilityProvider();
    Console.Error.WriteLine(
        $"durable bridge ready: task hub {options.HubName} ({provider.GetType().Name}), " +
        $"{manifest.Orchestrations.Count} orchestrations and {manifest.Activities.Count} activities, " +
        $"at most {options.MaxConcurrentOrchestratorFunctions} orchestrator and {options.MaxConcurrentActivityFunctions} activity functions at once, " +
        $"timers longer than {provider.MaximumDelayTime} split into segments of {provider.LongRunningTimerIntervalLength}");
    Console.Out.WriteLine(JsonConvert.SerializeObject(new { ready = true, clientBinding = ClientBindingProbe.Json }));
    Console.Out.Flush();
    await host.WaitForShutdownAsync();
    return 0;
}
catch (Exception error)
{
    Console.Error.WriteLine($"durable bridge failed to start: {error}");
    return 1;
}

static Dictionary<string, string?> HostJsonSettings(string path)
{
    IConfigurationRoot hostJson = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(path), optional: false).Build();
    return hostJson.GetSection("extensions").AsEnumerable(makePathsRelative: true)
        .Where(pair => pair.Value != null)
        .ToDictionary(pair => $"AzureWebJobs:extensions:{pair.Key}", pair => pair.Value);
}

static void WrapStorageProvider(IServiceCollection services, BridgeSettings settings)
{
    ServiceDescriptor[] factories = services.Where(d => d.ServiceType == typeof(IDurabilityProviderFactory)).ToArray();
    foreach (ServiceDescriptor descriptor in factories)
    {
        Type implementation = descriptor.ImplementationType
            ?? throw new InvalidOperationException("The Durable extension registered its storage provider in a way the bridge does not know.");
        services.Remove(descriptor);
        services.AddSingleton<IDurabilityProviderFactory>(sp => new TimerLimitsProviderFactory(
            (IDurabilityProviderFactory)ActivatorUtilities.CreateInstance(sp, implementation),
            settings.MaximumTimerInterval,
            settings.LongTimerInterval));
    }
}
