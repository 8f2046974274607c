import { ParseUUIDPipe } from '@nestjs/common';
import { ValidationProblem } from './problem.js';

/** A path parameter that must be a UUID; anything else is a 400 naming the parameter. */
export const uuidParam = (name = 'id') =>
  new ParseUUIDPipe({
    exceptionFactory: () => new ValidationProblem([{ field: name, message: `${name} must be a UUID` }]),
  });
