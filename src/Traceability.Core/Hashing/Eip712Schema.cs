using System.Text;
using Traceability.Core.Primitives;

namespace Traceability.Core.Hashing;

/// <summary>One member of an EIP-712 struct type.</summary>
/// <param name="Name">The member's name.</param>
/// <param name="Type">Its Solidity type: string, bytes2, bytes32, uint32, uint64, uint256, address, T[] or a struct name.</param>
public sealed record Eip712Field(string Name, string Type);

/// <summary>An EIP-712 struct type.</summary>
/// <param name="Name">The type's name.</param>
/// <param name="Fields">Its members, in order.</param>
public sealed record Eip712StructType(string Name, IReadOnlyList<Eip712Field> Fields)
{
    /// <summary>"Name(type1 name1,type2 name2,...)".</summary>
    public string Signature => $"{Name}({string.Join(",", Fields.Select(f => $"{f.Type} {f.Name}"))})";
}

/// <summary>
/// A set of EIP-712 struct types that reference each other: computes encodeType (the primary
/// type, then the types it references in name order) and typeHash, as EIP-712 defines them.
/// </summary>
public sealed class Eip712Schema
{
    private readonly Dictionary<string, Eip712StructType> _types;
    private readonly Dictionary<string, Hash32> _typeHashes = new(StringComparer.Ordinal);

    /// <summary>A schema of these struct types.</summary>
    public Eip712Schema(params Eip712StructType[] types)
    {
        _types = types.ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var t in types) _typeHashes[t.Name] = Keccak.Hash(EncodeType(t.Name));
    }

    /// <summary>The struct types, by name.</summary>
    public IReadOnlyDictionary<string, Eip712StructType> Types => _types;

    /// <summary>The struct type called <paramref name="name"/>.</summary>
    public Eip712StructType this[string name] =>
        _types.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"no EIP-712 struct type '{name}'");

    /// <summary>Whether <paramref name="type"/> names a struct of this schema.</summary>
    public bool IsStruct(string type) => _types.ContainsKey(type);

    /// <summary>encodeType(primary): its signature, then those of every referenced type, sorted by name.</summary>
    public string EncodeType(string primary)
    {
        var deps = new SortedSet<string>(StringComparer.Ordinal);
        CollectDependencies(primary, deps);
        deps.Remove(primary);
        var sb = new StringBuilder(this[primary].Signature);
        foreach (var d in deps) sb.Append(this[d].Signature);
        return sb.ToString();
    }

    /// <summary>keccak256(encodeType(name)).</summary>
    public Hash32 TypeHash(string name) =>
        _typeHashes.TryGetValue(name, out var h) ? h : throw new KeyNotFoundException($"no EIP-712 struct type '{name}'");

    /// <summary>The struct types <paramref name="primary"/> uses, itself included.</summary>
    public IEnumerable<Eip712StructType> Closure(string primary)
    {
        var deps = new SortedSet<string>(StringComparer.Ordinal);
        CollectDependencies(primary, deps);
        return deps.Select(d => _types[d]);
    }

    private void CollectDependencies(string name, SortedSet<string> found)
    {
        if (!found.Add(name)) return;
        foreach (var f in this[name].Fields)
        {
            var baseType = f.Type.EndsWith("[]", StringComparison.Ordinal) ? f.Type[..^2] : f.Type;
            if (_types.ContainsKey(baseType)) CollectDependencies(baseType, found);
        }
    }
}
