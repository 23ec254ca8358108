namespace DurableBridge;

/// <summary>
/// What the Node host tells the bridge when it starts it, through the environment (see
/// host/engineBridge.ts). Every value is checked here so a bad start fails with one clear line.
/// </summary>
public sealed record BridgeSettings(
    string ManifestPath,
    Uri WorkerUrl,
    Uri WebhookUrl,
    string HostJsonPath,
    string TaskHub,
    TimeSpan? MaximumTimerInterval,
    TimeSpan? LongTimerInterval)
{
    public static BridgeSettings FromEnvironment()
    {
        return new BridgeSettings(
            ManifestPath: Required("BRIDGE_MANIFEST"),
            WorkerUrl: LoopbackUrl("BRIDGE_WORKER_URL"),
            WebhookUrl: LoopbackUrl("BRIDGE_WEBHOOK_URL"),
            HostJsonPath: Required("BRIDGE_HOST_JSON"),
            TaskHub: Required("BRIDGE_TASK_HUB"),
            MaximumTimerInterval: Seconds("DURABLE_MAX_TIMER_INTERVAL_SECONDS"),
            LongTimerInterval: Seconds("DURABLE_LONG_TIMER_INTERVAL_SECONDS"));
    }

    private static string Required(string name)
    {
        string? value = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException($"{name} is not set: the bridge is started by the Node host (DURABLE_ENGINE=extension).");
        }

        return value;
    }

    /// <summary>The worker and the webhook base are the Node host's own loopback listeners, never anything else.</summary>
    private static Uri LoopbackUrl(string name)
    {
        string value = Required(name);
        if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? url) || url.Scheme != Uri.UriSchemeHttp || !url.IsLoopback)
        {
            throw new InvalidOperationException($"{name} must be an http:// loopback URL, got \"{value}\".");
        }

        return url;
    }

    private static TimeSpan? Seconds(string name)
    {
        string? value = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!int.TryParse(value, out int seconds) || seconds < 1)
        {
            throw new InvalidOperationException($"{name} must be a whole number of seconds (1 or more), got \"{value}\".");
        }

        return TimeSpan.FromSeconds(seconds);
    }
}
