import CSQLite
import Foundation

private let SQLITE_TRANSIENT = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

/// The cells a kernel ran, kept in SQLite so that a new session can recall earlier ones.
public final class HistoryStore {
    private var db: OpaquePointer?
    /// The number of this kernel's session in the database.
    public private(set) var session: Int = 1

    /// Where Jupyter keeps per-user data: $JUPYTER_DATA_DIR, else $XDG_DATA_HOME/jupyter,
    /// else ~/.local/share/jupyter (macOS: ~/Library/Jupyter).
    public static var jupyterDataDirectory: String {
        let env = ProcessInfo.processInfo.environment
        if let d = env["JUPYTER_DATA_DIR"], !d.isEmpty { return d }
        #if os(macOS)
        return NSHomeDirectory() + "/Library/Jupyter"
        #else
        if let x = env["XDG_DATA_HOME"], !x.isEmpty { return x + "/jupyter" }
        return NSHomeDirectory() + "/.local/share/jupyter"
        #endif
    }

    /// The default database: <Jupyter data dir>/soma/history.sqlite.
    public static var defaultPath: String { jupyterDataDirectory + "/soma/history.sqlite" }

    /// Opens (creating when needed) the database at `path` (":memory:" for a private one) and starts a session.
    public init(path: String) {
        if path != ":memory:" {
            let dir = (path as NSString).deletingLastPathComponent
            try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        if sqlite3_open(path, &db) != SQLITE_OK {
            logError("history: cannot open \(path); using memory")
            sqlite3_close(db)
            db = nil
            sqlite3_open(":memory:", &db)
        }
        sqlite3_busy_timeout(db, 2000)
        // WAL without a sync per commit: a cell costs a write, not an fsync (no lost cells on a
        // kernel crash; the last ones may be lost on a power cut, as IPython's batched writes).
        exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
        exec("""
            CREATE TABLE IF NOT EXISTS sessions (session INTEGER PRIMARY KEY AUTOINCREMENT, start TEXT);
            CREATE TABLE IF NOT EXISTS history (session INTEGER, line INTEGER, source TEXT, PRIMARY KEY (session, line));
            """)
        if run("INSERT INTO sessions (start) VALUES (?)", [.text(isoNow())]) {
            session = Int(sqlite3_last_insert_rowid(db))
        }
    }

    deinit { sqlite3_close(db) }

    /// Records one cell.
    public func store(line: Int, source: String) {
        store([(line, source)])
    }

    /// Records cells in one transaction.
    public func store(_ cells: [(line: Int, source: String)]) {
        if cells.count > 1 { exec("BEGIN") }
        for c in cells {
            _ = run("INSERT OR REPLACE INTO history (session, line, source) VALUES (?, ?, ?)",
                    [.int(session), .int(c.line), .text(c.source)])
        }
        if cells.count > 1 { exec("COMMIT") }
    }

    public struct Entry: Equatable {
        public var session: Int
        public var line: Int
        public var source: String
    }

    /// The last `n` cells over all sessions, oldest first.
    public func tail(_ n: Int) -> [Entry] {
        Array(query("SELECT session, line, source FROM history ORDER BY session DESC, line DESC LIMIT ?",
                    [.int(max(0, n))]).reversed())
    }

    /// Cells `start..<stop` of a session (0: this one; negative: counted back from this one); stop 0 or less: to the end.
    public func range(session s: Int, start: Int, stop: Int) -> [Entry] {
        let sess = s <= 0 ? session + s : s
        if stop > 0 {
            return query("SELECT session, line, source FROM history WHERE session = ? AND line >= ? AND line < ? ORDER BY line",
                         [.int(sess), .int(start), .int(stop)])
        }
        return query("SELECT session, line, source FROM history WHERE session = ? AND line >= ? ORDER BY line",
                     [.int(sess), .int(start)])
    }

    /// Cells matching a glob pattern (`*`, `?`), the latest `n` (nil: all), oldest first; `unique` drops repeats.
    public func search(pattern: String, n: Int?, unique: Bool) -> [Entry] {
        var rows = query("SELECT session, line, source FROM history WHERE source GLOB ? ORDER BY session DESC, line DESC",
                         [.text(pattern)])
        if unique {
            var seen = Set<String>()
            rows = rows.filter { seen.insert($0.source).inserted }
        }
        if let n, n >= 0, rows.count > n { rows = Array(rows.prefix(n)) }
        return rows.reversed()
    }

    private enum Value { case int(Int), text(String) }

    private func exec(_ sql: String) {
        var err: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(db, sql, nil, nil, &err) != SQLITE_OK {
            logError("history: \(err.map { String(cString: $0) } ?? "error")")
            sqlite3_free(err)
        }
    }

    private func prepare(_ sql: String, _ values: [Value]) -> OpaquePointer? {
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &stmt, nil) == SQLITE_OK else {
            logError("history: \(String(cString: sqlite3_errmsg(db)))")
            return nil
        }
        for (i, v) in values.enumerated() {
            switch v {
            case .int(let n): sqlite3_bind_int64(stmt, Int32(i + 1), Int64(n))
            case .text(let s): sqlite3_bind_text(stmt, Int32(i + 1), s, -1, SQLITE_TRANSIENT)
            }
        }
        return stmt
    }

    private func run(_ sql: String, _ values: [Value]) -> Bool {
        guard let stmt = prepare(sql, values) else { return false }
        defer { sqlite3_finalize(stmt) }
        let rc = sqlite3_step(stmt)
        if rc != SQLITE_DONE {
            logError("history: \(String(cString: sqlite3_errmsg(db)))")
            return false
        }
        return true
    }

    private func query(_ sql: String, _ values: [Value]) -> [Entry] {
        guard let stmt = prepare(sql, values) else { return [] }
        defer { sqlite3_finalize(stmt) }
        var out: [Entry] = []
        while sqlite3_step(stmt) == SQLITE_ROW {
            let text = sqlite3_column_text(stmt, 2).map { String(cString: $0) } ?? ""
            out.append(Entry(session: Int(sqlite3_column_int64(stmt, 0)), line: Int(sqlite3_column_int64(stmt, 1)), source: text))
        }
        return out
    }
}
