import Foundation
import SomaTensor

/// Images in class sub-folders (`torchvision.datasets.ImageFolder`): `root/<class>/<file>`
/// with PNG or JPEG files, decoded by libpng / libjpeg-turbo and converted to RGB as
/// torchvision's default loader does. Classes are the sub-folder names, sorted; samples are
/// listed per class in sorted path order (sub-folders included).
public final class ImageFolder: Dataset, CustomStringConvertible {
    public static let extensions = [".png", ".jpg", ".jpeg"]
    public let root: String
    public let transform: Transform?
    public let targetTransform: Transform?
    public let classes: [String]
    public let classToIdx: [String: Int]
    /// (path, class index) of every image.
    public let samples: [(path: String, target: Int)]
    public var targets: [Int] { samples.map(\.target) }
    public var imgs: [(path: String, target: Int)] { samples }

    public init(root: String, transform: Transform? = nil, targetTransform: Transform? = nil) throws {
        self.root = root
        self.transform = transform
        self.targetTransform = targetTransform
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue else {
            throw NNError(.runtime, "[Errno 2] No such file or directory: '\(root)'")
        }
        let entries = try fm.contentsOfDirectory(atPath: root).sorted()
        classes = entries.filter { name in
            var d: ObjCBool = false
            return fm.fileExists(atPath: (root as NSString).appendingPathComponent(name), isDirectory: &d) && d.boolValue
        }
        guard !classes.isEmpty else { throw NNError(.runtime, "Couldn't find any class folder in \(root).") }
        classToIdx = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        var samples: [(String, Int)] = []
        var empty: [String] = []
        for (k, c) in classes.enumerated() {
            let dir = (root as NSString).appendingPathComponent(c)
            let files = (fm.enumerator(atPath: dir)?.allObjects as? [String] ?? []).sorted().filter { f in
                Self.extensions.contains { f.lowercased().hasSuffix($0) }
            }
            if files.isEmpty { empty.append(c) }
            samples += files.map { ((dir as NSString).appendingPathComponent($0), k) }
        }
        if !empty.isEmpty {
            throw NNError(.runtime,
                "Found no valid file for the classes \(empty.joined(separator: ", ")). Supported extensions are: \(Self.extensions.joined(separator: ", "))")
        }
        self.samples = samples.map { (path: $0.0, target: $0.1) }
        super.init()
    }

    public override var count: Int { samples.count }

    public var description: String {
        visionDatasetDescription("ImageFolder", count: samples.count, root: root, extra: [],
                                 transform: transform, targetTransform: targetTransform)
    }

    public override func item(at index: Int) throws -> Sample {
        let s = samples[index]
        var img = Sample.image(try Image.load(s.path).rgb())
        var target = Sample.int(s.target)
        if let t = transform { img = try t.apply(img) }
        if let t = targetTransform { target = try t.apply(target) }
        return .tuple([img, target])
    }
}
