using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Extensions.DurableTask;
using Microsoft.Azure.WebJobs.Host.Config;
using Microsoft.Azure.WebJobs.Host.Scale;

namespace DurableBridge;

/// <summary>The WebJobs SDK indexes these types only: the emitted app functions and the client-binding probe.</summary>
public sealed class FixedTypeLocator(params Type[] types) : ITypeLocator
{
    public IReadOnlyList<Type> GetTypes() => types;
}

/// <summary>
/// The base URL of the Durable HTTP API as the app's callers see it: the Node host's
/// /runtime/webhooks/durabletask, which it forwards to the extension's local listener.
/// </summary>
#pragma warning disable CS0618 // IWebHookProvider is how the Functions host hands the extension its webhook URL.
public sealed class NodeHostWebHookProvider(Uri webhookUrl) : IWebHookProvider
{
    public Uri GetUrl(IExtensionConfigProvider extension) => webhookUrl;
}
#pragma warning restore CS0618

/// <summary>
/// The Azure Storage provider with the timer limits of DURABLE_MAX_TIMER_INTERVAL_SECONDS (the
/// longest single timer; longer ones are split) and DURABLE_LONG_TIMER_INTERVAL_SECONDS (the
/// length of each segment), so a 30-day review window can run in seconds. The extension reads
/// them from its provider, which has no option for them, so the provider is set as it is handed out.
/// </summary>
public sealed class TimerLimitsProviderFactory(IDurabilityProviderFactory inner, TimeSpan? maximumTimerInterval, TimeSpan? longTimerInterval)
    : IDurabilityProviderFactory
{
    public string Name => inner.Name;

    public DurabilityProvider GetDurabilityProvider() => this.Apply(inner.GetDurabilityProvider());

    public DurabilityProvider GetDurabilityProvider(DurableClientAttribute attribute) => this.Apply(inner.GetDurabilityProvider(attribute));

    public DurabilityProvider GetDurabilityProvider(DurableClientAttribute attribute, TriggerMetadata triggerMetadata) =>
        this.Apply(inner.GetDurabilityProvider(attribute, triggerMetadata));

    private DurabilityProvider Apply(DurabilityProvider provider)
    {
        if (maximumTimerInterval is TimeSpan maximum)
        {
            provider.MaximumDelayTime = maximum;
        }

        if (longTimerInterval is TimeSpan segment)
        {
            provider.LongRunningTimerIntervalLength = segment;
        }

        return provider;
    }
}

/// <summary>
/// Asks the extension for the durableClient binding data a JavaScript function receives (with
/// its rpcBaseUrl), by running this function once through the host.
/// </summary>
public static class ClientBindingProbe
{
    public const string FunctionName = "DurableBridge-ClientBinding";

    public static string? Json { get; private set; }

    [NoAutomaticTrigger]
    [FunctionName(FunctionName)]
    // A string is what a JavaScript function's durableClient binding gets (the analyzer only knows .NET apps).
#pragma warning disable DF0203
    public static void Capture([DurableClient] string client) => Json = client;
#pragma warning restore DF0203
}
