// DocketCore is the vocabulary the service speaks: its kinds, states, clocks, report rows and
// letters are the values every use case takes and returns, and it does no I/O. Re-exported so that
// a front end (the command line, the web desk) depends on the service alone and cannot reach the
// store, the mail parser or the sheet readers past it.
@_exported import DocketCore
