import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { FileDelete, FileList, FileRetrieve, JobsRequest, OpenAIFileDeleted, OpenAIFileObject, OpenAIList } from '@tollgate/contracts';
import { Rpc } from '@tollgate/messaging';
import { FilesService } from './files.service';

/** /v1/files JSON routes (upload and content stream through the internal listener). */
@Controller()
export class FilesHandler {
  constructor(private readonly files: FilesService) {}

  @Rpc(FileList)
  list(@Payload() r: JobsRequest): Promise<OpenAIList<OpenAIFileObject>> {
    return this.files.list(r);
  }

  @Rpc(FileRetrieve)
  retrieve(@Payload() r: JobsRequest): Promise<OpenAIFileObject> {
    return this.files.retrieve(r);
  }

  @Rpc(FileDelete)
  delete(@Payload() r: JobsRequest): Promise<OpenAIFileDeleted> {
    return this.files.delete(r);
  }
}
