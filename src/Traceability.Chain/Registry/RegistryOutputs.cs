using Nethereum.ABI.FunctionEncoding.Attributes;

namespace Traceability.Chain.Registry;

/// <summary>A view returning bool.</summary>
[FunctionOutput]
public sealed class BoolOutput : IFunctionOutputDTO
{
    /// <summary>The value.</summary>
    [Parameter("bool", "", 1)] public bool Value { get; set; }
}

/// <summary>A view returning bytes32.</summary>
[FunctionOutput]
public sealed class Bytes32Output : IFunctionOutputDTO
{
    /// <summary>The value.</summary>
    [Parameter("bytes32", "", 1)] public byte[] Value { get; set; } = [];
}

/// <summary>A view returning bytes2.</summary>
[FunctionOutput]
public sealed class Bytes2Output : IFunctionOutputDTO
{
    /// <summary>The value.</summary>
    [Parameter("bytes2", "", 1)] public byte[] Value { get; set; } = [];
}

/// <summary>A view returning bytes2[].</summary>
[FunctionOutput]
public sealed class Bytes2ArrayOutput : IFunctionOutputDTO
{
    /// <summary>The values.</summary>
    [Parameter("bytes2[]", "", 1)] public List<byte[]> Value { get; set; } = [];
}

/// <summary>A view returning uint8.</summary>
[FunctionOutput]
public sealed class Uint8Output : IFunctionOutputDTO
{
    /// <summary>The value.</summary>
    [Parameter("uint8", "", 1)] public byte Value { get; set; }
}

/// <summary>A view returning address.</summary>
[FunctionOutput]
public sealed class AddressOutput : IFunctionOutputDTO
{
    /// <summary>The value.</summary>
    [Parameter("address", "", 1)] public string Value { get; set; } = "";
}
