import Foundation

/// The solar terms the holiday law needs: 清明 (Qingming), the day the sun's apparent longitude
/// reaches 15°, in China Standard Time.
///
/// The sun's position is Meeus's (Astronomical Algorithms, ch. 25: mean longitude, equation of the
/// centre, nutation and aberration in longitude), good to about 0.01°, which is some fifteen minutes
/// of the moment; ΔT is Espenak and Meeus's polynomial. From 2001 to 2099 it gives the same day as the
/// 寿星 formula that Chinese almanacs use, and the published schedules of 2020–2026 (tested); the
/// nearest a moment comes to midnight in that span is 2071's, five minutes before 5 April.
public enum SolarTerms {
  /// The day of 清明 in `year`.
  public static func qingming(_ year: Int) -> CivilDate {
    day(whenSunReaches: 15, near: CivilDate(year: year, month: 4, day: 5)!)
  }

  /// The day in UTC+8 on which the sun's apparent longitude reaches `longitude` degrees, for a
  /// moment within a few days of `near`.
  static func day(whenSunReaches longitude: Double, near: CivilDate) -> CivilDate {
    // Julian Ephemeris Day of noon UT on `near`; Newton steps at the sun's mean daily motion.
    var jde = Double(near.ordinal) + 2_440_588.0
    for _ in 0..<20 {
      var gap = apparentLongitude(jde) - longitude
      gap -= 360 * (gap / 360).rounded()
      jde -= gap / 0.985_647_36
      if abs(gap) < 1e-7 { break }
    }
    let year = Double(near.year) + Double(near.month - 1) / 12
    let utc = jde - deltaT(year) / 86_400
    // Julian days begin at noon UT; China Standard Time is eight hours ahead of UT.
    let beijing = utc + 0.5 + 8.0 / 24
    return CivilDate(ordinal: Int(beijing.rounded(.down)) - 2_440_588)
  }

  /// The sun's apparent ecliptic longitude in degrees at Julian Ephemeris Day `jde` (Meeus 25.2–25.8).
  static func apparentLongitude(_ jde: Double) -> Double {
    let t = (jde - 2_451_545.0) / 36_525
    let meanLongitude = 280.466_46 + 36_000.769_83 * t + 0.000_303_2 * t * t
    let anomaly = radians(357.529_11 + 35_999.050_29 * t - 0.000_153_7 * t * t)
    let centre =
      (1.914_602 - 0.004_817 * t - 0.000_014 * t * t) * sin(anomaly)
      + (0.019_993 - 0.000_101 * t) * sin(2 * anomaly) + 0.000_289 * sin(3 * anomaly)
    let node = radians(125.04 - 1_934.136 * t)
    let longitude = meanLongitude + centre - 0.005_69 - 0.004_78 * sin(node)
    return longitude - 360 * (longitude / 360).rounded(.down)
  }

  /// TT − UT in seconds (Espenak and Meeus, "Polynomial expressions for Delta T").
  static func deltaT(_ year: Double) -> Double {
    if year < 2050 {
      let t = year - 2000
      return 62.92 + 0.322_17 * t + 0.005_589 * t * t
    }
    let u = (year - 1820) / 100
    return year < 2150 ? -20 + 32 * u * u - 0.562_8 * (2150 - year) : -20 + 32 * u * u
  }

  private static func radians(_ degrees: Double) -> Double { degrees * .pi / 180 }
}
