using System.Reflection;
using System.Reflection.Emit;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Extensions.DurableTask;

namespace DurableBridge;

/// <summary>
/// Emits, at start, one class whose static methods are the app's orchestrations and activities,
/// declared as the Functions host declares a JavaScript app's:
/// <c>[FunctionName(name)] Task&lt;object&gt; M([OrchestrationTrigger] string context)</c> (a string
/// context makes the extension treat the orchestrator as out-of-process and hand it the JSON
/// protocol) and <c>[FunctionName(name)] Task&lt;object&gt; M([ActivityTrigger] string input)</c>.
/// Each body only forwards to <see cref="NodeWorker"/>; the WebJobs SDK indexes the class as any
/// other, so no C# is generated or compiled per app.
/// </summary>
public static class FunctionEmitter
{
    public static Type Emit(Manifest manifest)
    {
        AssemblyBuilder assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("DurableBridge.AppFunctions"), AssemblyBuilderAccess.Run);
        ModuleBuilder module = assembly.DefineDynamicModule("DurableBridge.AppFunctions");
        TypeBuilder type = module.DefineType(
            "DurableBridge.AppFunctions",
            TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.Class);

        int index = 0;
        foreach (string name in manifest.Orchestrations)
        {
            DefineFunction(type, $"Orchestration{index++}", name, "context", typeof(OrchestrationTriggerAttribute), nameof(OrchestrationTriggerAttribute.Orchestration), nameof(NodeWorker.Orchestration));
        }

        foreach (string name in manifest.Activities)
        {
            DefineFunction(type, $"Activity{index++}", name, "input", typeof(ActivityTriggerAttribute), nameof(ActivityTriggerAttribute.Activity), nameof(NodeWorker.Activity));
        }

        return type.CreateType();
    }

    private static void DefineFunction(
        TypeBuilder type,
        string methodName,
        string functionName,
        string parameterName,
        Type triggerAttribute,
        string triggerNameProperty,
        string forwardTo)
    {
        MethodBuilder method = type.DefineMethod(
            methodName,
            MethodAttributes.Public | MethodAttributes.Static,
            typeof(Task<object>),
            new[] { typeof(string) });
        method.SetCustomAttribute(new CustomAttributeBuilder(
            typeof(FunctionNameAttribute).GetConstructor(new[] { typeof(string) })!,
            new object[] { functionName }));

        ParameterBuilder parameter = method.DefineParameter(1, ParameterAttributes.None, parameterName);
        parameter.SetCustomAttribute(new CustomAttributeBuilder(
            triggerAttribute.GetConstructor(Type.EmptyTypes)!,
            Array.Empty<object>(),
            new[] { triggerAttribute.GetProperty(triggerNameProperty)! },
            new object[] { functionName }));

        // return NodeWorker.<forwardTo>(functionName, arg0);
        MethodInfo target = typeof(NodeWorker).GetMethod(forwardTo, new[] { typeof(string), typeof(string) })!;
        ILGenerator il = method.GetILGenerator();
        il.Emit(OpCodes.Ldstr, functionName);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, target);
        il.Emit(OpCodes.Ret);
    }
}
