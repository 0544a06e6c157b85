using Traceability.Core.Participants;

namespace Traceability.Core.Tests.Participants;

[Trait("Category", "Fast")]
public class ParticipantCodeTests
{
    [Theory]
    [InlineData("BW", (ushort)0x4257)]
    [InlineData("EU", (ushort)0x4555)]
    [InlineData("AE", (ushort)0x4145)]
    public void Parses_two_upper_case_letters_into_the_contracts_bytes2(string text, ushort raw)
    {
        var code = ParticipantCode.Parse(text);
        Assert.Equal(text, code.Value);
        Assert.Equal(raw, code.AsUInt16);
        Assert.Equal(new[] { (byte)text[0], (byte)text[1] }, code.ToBytes());
        Assert.Equal(code, ParticipantCode.FromUInt16(raw));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("B")]
    [InlineData("BWA")]
    [InlineData("bw")]
    [InlineData("B1")]
    [InlineData("É1")]
    public void Refuses_anything_else_naming_the_expected_form(string? text)
    {
        Assert.False(ParticipantCode.TryParse(text, out _));
        var error = Assert.Throws<FormatException>(() => ParticipantCode.Parse(text));
        Assert.Contains("two upper-case letters", error.Message);
    }

    [Fact]
    public void Refuses_a_bytes2_that_is_not_two_letters()
    {
        Assert.Throws<FormatException>(() => ParticipantCode.FromUInt16(0x0000));
    }

    [Fact]
    public void Lists_the_60_participants_plus_Chinese_Taipei()
    {
        Assert.Equal(60, KpParticipants.ByCode.Values.Count(p => p.CountsAsParticipant));
        Assert.True(KpParticipants.IsKnown(ParticipantCode.Parse("EU")));
        Assert.True(KpParticipants.IsKnown(ParticipantCode.Parse("UZ")));
        Assert.False(KpParticipants.Find(ParticipantCode.Parse("TW"))!.CountsAsParticipant);
        Assert.False(KpParticipants.IsKnown(ParticipantCode.Parse("FR")));
        Assert.Equal("Botswana", KpParticipants.Find(ParticipantCode.Parse("BW"))!.Name);
    }
}
