using Newtonsoft.Json;

namespace DurableBridge;

/// <summary>
/// The orchestrations and activities the app registered, as the Node host captured them at start
/// (written by host/engineBridge.ts): the bridge hosts exactly these, no hand-kept list.
/// </summary>
public sealed class Manifest
{
    [JsonProperty("orchestrations", Required = Required.Always)]
    public List<string> Orchestrations { get; set; } = new();

    [JsonProperty("activities", Required = Required.Always)]
    public List<string> Activities { get; set; } = new();

    public static Manifest Load(string path)
    {
        Manifest manifest = JsonConvert.DeserializeObject<Manifest>(File.ReadAllText(path))
            ?? throw new InvalidOperationException($"The function manifest {path} is empty.");
        var all = manifest.Orchestrations.Concat(manifest.Activities).ToList();
        string? duplicate = all.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (duplicate != null)
        {
            // Function names are case-insensitive in Azure Functions.
            throw new InvalidOperationException($"The function name \"{duplicate}\" is registered twice.");
        }

        if (all.Any(string.IsNullOrWhiteSpace))
        {
            throw new InvalidOperationException("The function manifest has an empty name.");
        }

        return manifest;
    }
}
