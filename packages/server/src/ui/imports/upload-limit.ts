import { bodyLimit } from 'hono/body-limit';
import { MAX_FILE_BYTES } from '../../imports/import-csv.js';
import { UiError } from '../ui-error.js';

/**
 * The size limit of the CSV upload (/ui/imports/preview): a file as large as the API takes. ui-routes.tsx puts
 * it before the session check, which reads the multipart body for its CSRF field.
 */
export const importUploadLimit = bodyLimit({
  maxSize: MAX_FILE_BYTES,
  onError: () => {
    throw new UiError(413, `The file is over ${MAX_FILE_BYTES / 1024 / 1024} MB, the most one import takes.`);
  },
});
