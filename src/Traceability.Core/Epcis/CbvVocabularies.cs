namespace Traceability.Core.Epcis;

/// <summary>
/// The term lists of the CBV sub-contexts the GS1 EPCIS 2.0 context refers to for its vocabulary-typed fields
/// (https://gs1.github.io/EPCIS/cbv-context-bizstep.jsonld and the others): each maps a bare CBV word ("shipping") to
/// its web URI (https://ref.gs1.org/cbv/BizStep-shipping). Kept here so that a document's context resolves offline,
/// as the GS1 context itself does (the embedded copy of data/epcis/epcis-context.jsonld).
/// </summary>
internal static class CbvVocabularies
{
    private const string Cbv = "https://ref.gs1.org/cbv/";
    private const string Gs1 = "https://gs1.org/voc/";

    /// <summary>The terms of each sub-context, by the URL the GS1 context names it with.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ByUrl = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal)
    {
        ["https://gs1.github.io/EPCIS/cbv-context-bizstep.jsonld"] = Terms(Cbv + "BizStep-",
            "accepting arriving assembling collecting commissioning consigning creating_class_instance cycle_counting decommissioning departing "
            + "destroying disassembling dispensing encoding entering_exiting holding inspecting installing killing loading other packing picking "
            + "receiving removing repackaging repairing replacing reserving retail_selling sampling sensor_reporting shipping staging_outbound "
            + "stock_taking stocking storing transporting unloading unpacking void_shipping"),
        ["https://gs1.github.io/EPCIS/cbv-context-disposition.jsonld"] = Terms(Cbv + "Disp-",
            "active available completeness_verified completeness_inferred conformant container_closed container_open damaged destroyed dispensed "
            + "disposed encoded expired in_progress in_transit inactive mismatch_instance mismatch_class mismatch_quantity needs_replacement "
            + "no_pedigree_match non_conformant non_sellable_other partially_dispensed recalled reserved retail_sold returned sellable_accessible "
            + "sellable_not_accessible stolen unavailable unknown"),
        ["https://gs1.github.io/EPCIS/cbv-context-biztransaction-type.jsonld"] = Terms(Cbv + "BTT-",
            "bol cert desadv inv pedigree po poc prodorder recadv rma testprd testres upevt"),
        ["https://gs1.github.io/EPCIS/cbv-context-sourcedest-type.jsonld"] = Terms(Cbv + "SDT-", "owning_party possessing_party location"),
        ["https://gs1.github.io/EPCIS/cbv-context-error-reason.jsonld"] = Terms(Cbv + "ER-", "did_not_occur incorrect_data"),
        // its own "cbv" prefix is https://ns.gs1.org/cbv/, outside the vocabularies the hash expands: components stay bare words
        ["https://gs1.github.io/EPCIS/cbv-context-component.jsonld"] = Terms("https://ns.gs1.org/cbv/Comp-",
            "x y z axial_distance azimuth height spherical_radius polar_angle elevation_angle easting northing latitude longitude altitude"),
        ["https://gs1.github.io/EPCIS/gs1-context-measurement-type.jsonld"] = Terms(Gs1,
            "AbsoluteHumidity AbsorbedDose AbsorbedDoseRate Acceleration Radioactivity Altitude AmountOfSubstance AmountOfSubstancePerUnitVolume "
            + "Angle AngularAcceleration AngularMomentum AngularVelocity Area Capacitance Conductance Conductivity Count Density Dimensionless "
            + "DoseEquivalent DoseEquivalentRate DynamicViscosity ElectricCharge ElectricCurrent ElectricCurrentDensity ElectricFieldStrength "
            + "Energy Exposure Force Frequency Illuminance Inductance Irradiance KinematicViscosity Length LinearMomentum Luminance LuminousFlux "
            + "LuminousIntensity MagneticFlux MagneticFluxDensity MagneticVectorPotential Mass MassConcentration MassFlowRate MassPerAreaTime "
            + "MemoryCapacity MolalityOfSolute MolarEnergy MolarMass MolarVolume Power Pressure RadiantFlux RadiantIntensity RelativeHumidity "
            + "Resistance Resistivity SolidAngle SpecificVolume Speed SurfaceDensity SurfaceTension Temperature Time Torque Voltage Volume "
            + "VolumeFlowRate VolumeFraction VolumetricFlux Wavenumber"),
        ["https://gs1.github.io/EPCIS/gs1-context-sensor-alert-type.jsonld"] = Terms(Gs1, "ALARM_CONDITION ERROR_CONDITION"),
    };

    private static IReadOnlyDictionary<string, string> Terms(string prefix, string words) =>
        words.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToDictionary(w => w, w => prefix + w, StringComparer.Ordinal);
}
