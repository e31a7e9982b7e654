import { mediaAssets } from "#db/schema";

/** The columns of a stored photo that pages need to draw it (`PhotoRef` for <Picture>). */
export const photoRefColumns = () => ({
  hash: mediaAssets.hash,
  width: mediaAssets.width,
  height: mediaAssets.height,
  widths: mediaAssets.widths,
  dominantColor: mediaAssets.dominantColor,
  placeholder: mediaAssets.placeholder,
});
