using Traceability.Testing;

namespace Traceability.Service.Tests;

/// <summary>The tests of this collection share one Hardhat node (each deploys its own registry).</summary>
[CollectionDefinition("hardhat")]
public sealed class HardhatCollection : ICollectionFixture<HardhatFixture>;
