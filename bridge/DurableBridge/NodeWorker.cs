using System.Net.Http.Headers;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace DurableBridge;

/// <summary>
/// The Node process as the Functions host sees its language worker: the bridge hands it a
/// function's trigger value and gets back the return value or the failure, converted as the host
/// converts the worker's answer (typed data to .NET values, failures to the RpcException message
/// shape the extension's out-of-process shim recognises).
/// </summary>
public static class NodeWorker
{
    // Longer than host.json's functionTimeout: the function timeout, not the transport, ends a slow activity.
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(30) };

    private static Uri? workerUrl;

    public static void Configure(Uri url) => workerUrl = url;

    /// <summary>Runs an orchestrator episode; the context is the extension's out-of-process JSON payload.</summary>
    public static Task<object?> Orchestration(string name, string context) => InvokeAsync("orchestration", name, context);

    /// <summary>Runs an activity with the input the extension bound to a string parameter.</summary>
    public static Task<object?> Activity(string name, string input) => InvokeAsync("activity", name, input);

    private static async Task<object?> InvokeAsync(string kind, string name, string triggerValue)
    {
        Uri baseUrl = workerUrl ?? throw new InvalidOperationException("The Node worker URL is not configured.");
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, $"{kind}/{Uri.EscapeDataString(name)}"))
        {
            Content = new StringContent(triggerValue ?? string.Empty, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        using HttpResponseMessage response = await Http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            // Not the function's failure: the worker could not run it. The host aborts such an
            // execution and the message is processed again.
            throw new WorkerUnavailableException($"The Node worker answered {(int)response.StatusCode} for {kind} '{name}': {body}");
        }

        var answer = JObject.Parse(body);
        if (answer["error"] is JObject error)
        {
            // The shape of the Functions host's RpcException, which OutOfProcExceptionHelpers parses.
            string message = error.Value<string>("message") ?? string.Empty;
            string stack = error.Value<string>("stack") ?? string.Empty;
            throw new Exception($"Result: Failure\nException: {message}\nStack: {stack}");
        }

        return FromTypedData(answer["returnValue"] as JObject);
    }

    /// <summary>
    /// The worker's typed data as the host turns it into a .NET value: JSON is parsed by
    /// Newtonsoft with its default settings (so date-like strings are re-serialised later, as in Azure).
    /// </summary>
    private static object? FromTypedData(JObject? data)
    {
        if (data == null)
        {
            return null;
        }

        if (data["json"] is JValue { Type: JTokenType.String } json)
        {
            return JsonConvert.DeserializeObject((string)json!);
        }

        if (data["string"] is JValue { Type: JTokenType.String } text)
        {
            return (string)text!;
        }

        if (data["int"] is JValue intValue)
        {
            return intValue.ToObject<long>();
        }

        if (data["double"] is JValue doubleValue)
        {
            return doubleValue.ToObject<double>();
        }

        if (data["bytes"] is JValue { Type: JTokenType.String } bytes)
        {
            return Convert.FromBase64String((string)bytes!);
        }

        return null;
    }
}

/// <summary>The worker could not be reached or could not run the function (not a failure of the function itself).</summary>
public sealed class WorkerUnavailableException(string message) : Exception(message);
