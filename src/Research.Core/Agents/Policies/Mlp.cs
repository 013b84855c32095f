using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Core.Agents.Policies;

/// <summary>Builds multilayer perceptrons and initialises their linear layers.</summary>
public static class Mlp
{
    /// <summary>
    /// Linear → activation for each width in <paramref name="hidden"/>, then a final linear layer of
    /// <paramref name="outputs"/> units unless <paramref name="outputs"/> is 0 (the body alone, Stable-Baselines3's <c>create_mlp</c>).
    /// </summary>
    public static Sequential Create(int inputs, IReadOnlyList<int> hidden, Activation activation, int outputs = 0)
    {
        var layers = new List<nn.Module<Tensor, Tensor>>();
        int width = inputs;
        foreach (int h in hidden)
        {
            layers.Add(nn.Linear(width, h));
            layers.Add(activation == Activation.Tanh ? nn.Tanh() : nn.ReLU());
            width = h;
        }

        if (outputs > 0) layers.Add(nn.Linear(width, outputs));
        return nn.Sequential(layers);
    }

    /// <summary>Width of the body's last layer (the input width when there is no hidden layer).</summary>
    public static int OutputWidth(int inputs, IReadOnlyList<int> hidden) => hidden.Count == 0 ? inputs : hidden[^1];

    /// <summary>Orthogonal weights with <paramref name="gain"/> and zero biases for every linear layer in <paramref name="module"/>.</summary>
    public static void InitOrthogonal(nn.Module module, double gain)
    {
        using var _ = no_grad();
        var linears = module is Linear self ? [self] : module.named_modules().Select(m => m.module).OfType<Linear>().ToList();
        foreach (var linear in linears)
        {
            nn.init.orthogonal_(linear.weight, gain);
            linear.bias?.zero_();
        }
    }
}
