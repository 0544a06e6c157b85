using System.CommandLine;
using System.Globalization;
using Traceability.Cli.Infrastructure;
using Traceability.Core.Records;
using Traceability.Print;

namespace Traceability.Cli.Commands;

/// <summary>kp cert print: the certificate on paper, with a QR code of its portal lookup.</summary>
internal static class PrintCommand
{
    /// <summary>The portal address used when none is given (kp portal's default).</summary>
    public const string DefaultPortal = "http://127.0.0.1:8080";

    public static Command Create(CommandRunner run)
    {
        var file = new Argument<FileInfo>("certificate") { Description = "the certificate document (JSON; a signed one names its chain and registry itself)" };
        var output = new Option<FileInfo>("--out") { Description = "the PDF to write", Required = true };
        var portal = new Option<string?>("--portal-url")
        {
            Description = $"the portal's public address the QR code points at (default: $KP_PORTAL_URL, the network's portal in kp.config.json, else {DefaultPortal})",
        };
        var command = new Command("print", "print a certificate as an A4 PDF: the KP Annex I elements and a QR code of its lookup on the portal (status, and whether the paper matches the record)\n"
            + "Example: kp cert print cert.json --out cert.pdf --portal-url https://kp-portal.example.org") { file, output, portal };
        run.Bind(command, ctx =>
        {
            var certificate = Documents.LoadValid<CertificateRecord>(ctx.Parse.GetValue(file)!);
            var outFile = ctx.Parse.GetValue(output)!;
            InputFiles.RequireWritable(outFile);
            var portalBase = ConfiguredPortal(ctx, ctx.Parse.GetValue(portal)) ?? LookupLink.ParseBase(DefaultPortal);
            // the deployment the certificate belongs to: the one its authority signed for, else kp's deployment record (no chain needed)
            var (chainId, registry) = certificate.Authorization is { } a ? (a.ChainId, a.Registry)
                : ctx.Deployment is { } d ? ((ulong)d.ChainId, ctx.Parse.GetValue(GlobalOptions.Registry) ?? d.Address)
                : throw new CliEnvironmentException($"certificate: {certificate.Number} carries no signature naming its chain and registry, and there is no deployment record at {ctx.DeploymentPath}: give --deployment (or --network)");
            var link = LookupLink.For(certificate, portalBase, chainId, registry);
            byte[] pdf;
            try
            {
                pdf = CertificatePdf.Render(certificate, link);
            }
            catch (FileNotFoundException ex)
            {
                throw new CliEnvironmentException(ex.Message);
            }
            File.WriteAllBytes(outFile.FullName, pdf);
            if (ctx.Json) Output.WriteJson(ctx.Out, new { path = outFile.FullName, lookup = link.ToString(), hash = certificate.Hash().ToString(), bytes = pdf.Length });
            else
            {
                ctx.Out.WriteLine($"✓ certificate {certificate.Number} printed to {outFile.FullName} ({(pdf.Length / 1024.0).ToString("0", CultureInfo.InvariantCulture)} KiB)");
                ctx.Out.WriteLine($"  its QR code: {link}");
            }
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    /// <summary>
    /// The portal's base URL as configured: <paramref name="given"/> (--portal-url), else $KP_PORTAL_URL, else the network's
    /// portal in kp.config.json; null when none is. A malformed one is a usage error naming where it was set.
    /// </summary>
    public static Uri? ConfiguredPortal(CliContext ctx, string? given)
    {
        var (text, setting) = given is { } p ? (p, "--portal-url")
            : ctx.Env("KP_PORTAL_URL") is { Length: > 0 } e ? (e, "KP_PORTAL_URL")
            : ctx.Network is { Value.Portal: { } np } ? (np, $"networks.{ctx.NetworkName!.Value}.portal")
            : (null, "");
        if (text is null) return null;
        try
        {
            return LookupLink.ParseBase(text);
        }
        catch (FormatException ex)
        {
            throw new CliUsageException($"{setting}: {ex.Message}", setting);
        }
    }
}
