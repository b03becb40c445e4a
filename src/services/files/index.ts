export {
  createUpload,
  getFile,
  listFiles,
  deleteFile,
  downloadUrl,
  deleteExpiredUploads,
  storeGeneratedFile,
  readFileContent,
  EXPIRED_UPLOAD_GRACE_SECONDS,
  FILE_UPLOAD_PATH,
  FILE_DOWNLOAD_PATH,
  UPLOAD_URL_TTL_SECONDS,
  DOWNLOAD_URL_TTL_SECONDS,
} from './file.service';
export type { NewUpload, CreatedUpload, GeneratedFile } from './file.service';
export { ACCEPTED_MIME_TYPES } from './content-types';
export { receiveUpload, openDownload, verifyFileUrl, FileRequestRefused } from './upload.service';
export type { SignedFileTarget, UploadRequest } from './upload.service';
