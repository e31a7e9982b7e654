/**
 * The NAPAS 247 member banks a VietQR transfer can be sent to, keyed by BIN
 * (the 6-digit bank identifier that goes into the QR payload).
 *
 * Sources: the VietQR bank list (api.vietqr.io/v2/banks, as mirrored in
 * public repositories) and the bank constants of the `vietnam-qr-pay` package
 * (xuannghia/vietnam-qr-pay, src/constants/banks.ts, v1.5.1). No BIN differs
 * between the two; Citibank, KEB Hana and VBSP are only on the VietQR list,
 * Liobank only in vietnam-qr-pay. Names are the banks' current legal names,
 * newer than both lists for the 2024–2025 renames (OceanBank → MBV, CBBank →
 * VCBNeo, DongA Bank → Vikki Bank; GPBank and PGBank keep their brand under a
 * new legal name); a rename keeps the BIN. Codes are the VietQR list's (spaces
 * and dashes dropped), except for the renamed banks: their new brand.
 *
 * E-wallets and finance companies on the VietQR list (MoMo, Viettel Money,
 * VNPT Money, MAFC) are left out: a seller is paid into a bank account.
 *
 * Kept in source already sorted (a test checks the order against a Vietnamese
 * collator) rather than sorted at load time, so the server and every browser
 * list the banks identically whatever their ICU data.
 */

export type Bank = {
  /** NAPAS bank identification number, 6 digits. */
  bin: string;
  /** Short stable identifier (A–Z, 0–9). */
  code: string;
  /** The name people know the bank by; a renamed bank shows its former brand too. */
  shortName: string;
  /** Official Vietnamese name. */
  name: string;
};

export const BANKS: readonly Bank[] = Object.freeze([
  { bin: "970425", code: "ABB", shortName: "ABBANK", name: "Ngân hàng TMCP An Bình" },
  { bin: "970416", code: "ACB", shortName: "ACB", name: "Ngân hàng TMCP Á Châu" },
  { bin: "970405", code: "VBA", shortName: "Agribank", name: "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam" },
  { bin: "970409", code: "BAB", shortName: "Bac A Bank", name: "Ngân hàng TMCP Bắc Á" },
  { bin: "970438", code: "BVB", shortName: "BaoVietBank", name: "Ngân hàng TMCP Bảo Việt" },
  { bin: "970418", code: "BIDV", shortName: "BIDV", name: "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam" },
  { bin: "970454", code: "VCCB", shortName: "BVBank", name: "Ngân hàng TMCP Bản Việt" },
  {
    bin: "546034",
    code: "CAKE",
    shortName: "Cake by VPBank",
    name: "Ngân hàng số Cake by VPBank - Ngân hàng TMCP Việt Nam Thịnh Vượng",
  },
  { bin: "422589", code: "CIMB", shortName: "CIMB", name: "Ngân hàng TNHH MTV CIMB Việt Nam" },
  { bin: "533948", code: "CITIBANK", shortName: "Citibank", name: "Ngân hàng Citibank, N.A. - Chi nhánh Hà Nội" },
  { bin: "970446", code: "COOPBANK", shortName: "Co-opBank", name: "Ngân hàng Hợp tác xã Việt Nam" },
  { bin: "796500", code: "DBS", shortName: "DBS Bank", name: "DBS Bank Ltd - Chi nhánh Thành phố Hồ Chí Minh" },
  { bin: "970431", code: "EIB", shortName: "Eximbank", name: "Ngân hàng TMCP Xuất Nhập khẩu Việt Nam" },
  { bin: "970408", code: "GPB", shortName: "GPBank", name: "Ngân hàng Thương mại TNHH MTV Kỷ Nguyên Thịnh Vượng" },
  { bin: "970437", code: "HDB", shortName: "HDBank", name: "Ngân hàng TMCP Phát triển Thành phố Hồ Chí Minh" },
  { bin: "970442", code: "HLBVN", shortName: "Hong Leong Bank", name: "Ngân hàng TNHH MTV Hong Leong Việt Nam" },
  { bin: "458761", code: "HSBC", shortName: "HSBC", name: "Ngân hàng TNHH MTV HSBC (Việt Nam)" },
  { bin: "970455", code: "IBKHN", shortName: "IBK Hà Nội", name: "Ngân hàng Công nghiệp Hàn Quốc - Chi nhánh Hà Nội" },
  {
    bin: "970456",
    code: "IBKHCM",
    shortName: "IBK TP.HCM",
    name: "Ngân hàng Công nghiệp Hàn Quốc - Chi nhánh Thành phố Hồ Chí Minh",
  },
  { bin: "970434", code: "IVB", shortName: "Indovina Bank", name: "Ngân hàng TNHH Indovina" },
  {
    bin: "668888",
    code: "KBANK",
    shortName: "KBank",
    name: "Ngân hàng Đại chúng TNHH Kasikornbank - Chi nhánh Thành phố Hồ Chí Minh",
  },
  { bin: "970467", code: "KEBHANAHN", shortName: "KEB Hana Hà Nội", name: "Ngân hàng KEB Hana - Chi nhánh Hà Nội" },
  {
    bin: "970466",
    code: "KEBHANAHCM",
    shortName: "KEB Hana TP.HCM",
    name: "Ngân hàng KEB Hana - Chi nhánh Thành phố Hồ Chí Minh",
  },
  { bin: "970452", code: "KLB", shortName: "KienlongBank", name: "Ngân hàng TMCP Kiên Long" },
  { bin: "970462", code: "KBHN", shortName: "Kookmin Hà Nội", name: "Ngân hàng Kookmin - Chi nhánh Hà Nội" },
  {
    bin: "970463",
    code: "KBHCM",
    shortName: "Kookmin TP.HCM",
    name: "Ngân hàng Kookmin - Chi nhánh Thành phố Hồ Chí Minh",
  },
  { bin: "963369", code: "LIOBANK", shortName: "Liobank", name: "Ngân hàng số Liobank - Ngân hàng TMCP Phương Đông" },
  { bin: "970449", code: "LPB", shortName: "LPBank", name: "Ngân hàng TMCP Lộc Phát Việt Nam" },
  { bin: "970422", code: "MB", shortName: "MB Bank", name: "Ngân hàng TMCP Quân đội" },
  { bin: "970414", code: "MBV", shortName: "MBV (OceanBank)", name: "Ngân hàng TNHH MTV Việt Nam Hiện Đại" },
  { bin: "970426", code: "MSB", shortName: "MSB", name: "Ngân hàng TMCP Hàng Hải Việt Nam" },
  { bin: "970428", code: "NAB", shortName: "Nam A Bank", name: "Ngân hàng TMCP Nam Á" },
  { bin: "970419", code: "NCB", shortName: "NCB", name: "Ngân hàng TMCP Quốc Dân" },
  { bin: "801011", code: "NHBHN", shortName: "Nonghyup Bank", name: "Ngân hàng Nonghyup - Chi nhánh Hà Nội" },
  { bin: "970448", code: "OCB", shortName: "OCB", name: "Ngân hàng TMCP Phương Đông" },
  { bin: "970430", code: "PGB", shortName: "PGBank", name: "Ngân hàng TMCP Thịnh vượng và Phát triển" },
  { bin: "970439", code: "PBVN", shortName: "Public Bank", name: "Ngân hàng TNHH MTV Public Việt Nam" },
  { bin: "970412", code: "PVCB", shortName: "PVcomBank", name: "Ngân hàng TMCP Đại Chúng Việt Nam" },
  { bin: "970403", code: "STB", shortName: "Sacombank", name: "Ngân hàng TMCP Sài Gòn Thương Tín" },
  { bin: "970400", code: "SGICB", shortName: "Saigonbank", name: "Ngân hàng TMCP Sài Gòn Công Thương" },
  { bin: "970429", code: "SCB", shortName: "SCB", name: "Ngân hàng TMCP Sài Gòn" },
  { bin: "970440", code: "SEAB", shortName: "SeABank", name: "Ngân hàng TMCP Đông Nam Á" },
  { bin: "970443", code: "SHB", shortName: "SHB", name: "Ngân hàng TMCP Sài Gòn - Hà Nội" },
  { bin: "970424", code: "SHBVN", shortName: "Shinhan Bank", name: "Ngân hàng TNHH MTV Shinhan Việt Nam" },
  {
    bin: "970410",
    code: "SCVN",
    shortName: "Standard Chartered",
    name: "Ngân hàng TNHH MTV Standard Chartered Bank Việt Nam",
  },
  { bin: "970407", code: "TCB", shortName: "Techcombank", name: "Ngân hàng TMCP Kỹ thương Việt Nam" },
  { bin: "963388", code: "TIMO", shortName: "Timo", name: "Ngân hàng số Timo - Ngân hàng TMCP Bản Việt" },
  { bin: "970423", code: "TPB", shortName: "TPBank", name: "Ngân hàng TMCP Tiên Phong" },
  {
    bin: "546035",
    code: "UBANK",
    shortName: "Ubank by VPBank",
    name: "Ngân hàng số Ubank by VPBank - Ngân hàng TMCP Việt Nam Thịnh Vượng",
  },
  { bin: "970458", code: "UOB", shortName: "UOB", name: "Ngân hàng United Overseas Bank Việt Nam" },
  { bin: "999888", code: "VBSP", shortName: "VBSP", name: "Ngân hàng Chính sách Xã hội" },
  {
    bin: "970444",
    code: "VCBNEO",
    shortName: "VCBNeo (CBBank)",
    name: "Ngân hàng Thương mại TNHH MTV Ngoại thương Công nghệ số",
  },
  { bin: "970441", code: "VIB", shortName: "VIB", name: "Ngân hàng TMCP Quốc tế Việt Nam" },
  { bin: "970427", code: "VAB", shortName: "VietABank", name: "Ngân hàng TMCP Việt Á" },
  { bin: "970433", code: "VIETBANK", shortName: "VietBank", name: "Ngân hàng TMCP Việt Nam Thương Tín" },
  { bin: "970436", code: "VCB", shortName: "Vietcombank", name: "Ngân hàng TMCP Ngoại thương Việt Nam" },
  { bin: "970415", code: "ICB", shortName: "VietinBank", name: "Ngân hàng TMCP Công thương Việt Nam" },
  { bin: "970406", code: "VIKKI", shortName: "Vikki Bank (DongA Bank)", name: "Ngân hàng TNHH MTV Số Vikki" },
  { bin: "970432", code: "VPB", shortName: "VPBank", name: "Ngân hàng TMCP Việt Nam Thịnh Vượng" },
  { bin: "970421", code: "VRB", shortName: "VRB", name: "Ngân hàng Liên doanh Việt - Nga" },
  { bin: "970457", code: "WVN", shortName: "Woori Bank", name: "Ngân hàng TNHH MTV Woori Việt Nam" },
]);

const BY_BIN = new Map(BANKS.map((bank) => [bank.bin, bank]));

export function findBank(bin: string): Bank | undefined {
  return BY_BIN.get(bin);
}
