/** Types of the imports Vite resolves itself, such as a file's address (`?url`). */
/// <reference types="vite/client" />
