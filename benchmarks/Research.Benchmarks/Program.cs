using BenchmarkDotNet.Running;
using Research.Benchmarks;

if (args.Length > 0 && args[0] == OrleansRoundTrip.Switch)
    await OrleansRoundTrip.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 2000);
else
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
